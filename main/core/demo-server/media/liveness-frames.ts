import { createRng } from '../random';
import { encodeJpeg } from './jpeg';
import { drawFace, faceTraits, type FacePose } from './portrait';
import { mix, Raster, type Rgb } from './raster';

/**
 * Selfie frames of a liveness capture: the same drawn face in a drawn room, moving a little, blinking
 * and opening the mouth from frame to frame, as a ZOOM capture's frames would.
 */
export interface LivenessFrameOptions {
  width?: number;
  height?: number;
  quality?: number;
}

export function livenessPose(seed: string, index: number): FacePose {
  const rng = createRng(`pose:${seed}:${index}`);
  return {
    dx: rng.range(-0.04, 0.04),
    dy: rng.range(-0.03, 0.03),
    scale: 1 + index * 0.04 + rng.range(-0.02, 0.02),
    blink: index % 3 === 2,
    mouthOpen: index % 4 === 1 ? rng.range(0.3, 0.8) : 0,
    lookX: rng.range(-1, 1),
  };
}

export function renderLivenessRaster(subjectSeed: string, index: number, opts: LivenessFrameOptions = {}): Raster {
  const width = opts.width ?? 360;
  const height = opts.height ?? 480;
  const rng = createRng(`room:${subjectSeed}`);
  const wall: Rgb = rng.pick<Rgb>([[200, 196, 186], [180, 196, 210], [214, 200, 180], [190, 205, 190]]);
  const r = new Raster(width, height);
  r.verticalGradient(0, 0, width, height, mix(wall, [255, 255, 255], 0.2), mix(wall, [0, 0, 0], 0.25));
  // a door frame and a picture on the wall
  r.fillRect(width * 0.05, height * 0.1, width * 0.22, height * 0.7, mix(wall, [90, 60, 40], 0.5));
  r.fillRect(width * 0.07, height * 0.12, width * 0.18, height * 0.68, mix(wall, [140, 100, 70], 0.5));
  r.fillRect(width * 0.7, height * 0.12, width * 0.22, height * 0.14, [60, 90, 120]);
  r.fillRect(width * 0.72, height * 0.14, width * 0.18, height * 0.1, [120, 170, 200]);
  // the face fills most of the frame, like a selfie oval
  drawFace(r, width * 0.05, height * 0.12, width * 0.9, height * 0.9, faceTraits(subjectSeed), livenessPose(subjectSeed, index));
  // lighting differs a little between frames
  r.tint(1 + ((index % 5) - 2) * 0.03);
  r.noise(createRng(`grain:${subjectSeed}:${index}`), 5);
  return r;
}

/** One liveness frame as JPEG. */
export function renderLivenessFrame(subjectSeed: string, index: number, opts: LivenessFrameOptions = {}): Buffer {
  return encodeJpeg(renderLivenessRaster(subjectSeed, index, opts), opts.quality ?? 82);
}
