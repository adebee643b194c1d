import { createRng } from '../random';
import { encodeJpeg } from './jpeg';
import { encodePng } from './png';
import { mix, Raster, type Rgb } from './raster';

/**
 * Cartoon faces, drawn from a seed. Deliberately simple shapes (ellipses and strokes): recognisably a
 * face for a reviewer's screen, never a photograph of anyone.
 */
export interface FaceTraits {
  skin: Rgb;
  hair: Rgb;
  hairStyle: 0 | 1 | 2 | 3;
  iris: Rgb;
  shirt: Rgb;
  glasses: boolean;
  faceWidth: number;
}

/** Per-frame variation (liveness): offsets are fractions of the box, blink closes the eyes. */
export interface FacePose {
  dx: number;
  dy: number;
  scale: number;
  blink: boolean;
  mouthOpen: number;
  lookX: number;
}

export const NEUTRAL_POSE: FacePose = { dx: 0, dy: 0, scale: 1, blink: false, mouthOpen: 0, lookX: 0 };

const SKINS: readonly Rgb[] = [
  [255, 219, 172], [241, 194, 125], [224, 172, 105], [198, 134, 66], [141, 85, 36], [92, 58, 33], [250, 206, 180],
];
const HAIRS: readonly Rgb[] = [[40, 30, 25], [90, 60, 35], [160, 110, 60], [220, 190, 120], [120, 120, 120], [170, 60, 30], [15, 15, 20]];
const IRISES: readonly Rgb[] = [[70, 110, 160], [60, 120, 80], [100, 70, 40], [60, 40, 30], [110, 130, 140]];
const SHIRTS: readonly Rgb[] = [[40, 70, 140], [150, 40, 50], [50, 110, 80], [70, 70, 80], [200, 150, 40], [110, 60, 140]];

export function faceTraits(seed: string): FaceTraits {
  const rng = createRng(`face:${seed}`);
  return {
    skin: rng.pick(SKINS),
    hair: rng.pick(HAIRS),
    hairStyle: rng.pick([0, 1, 2, 3] as const),
    iris: rng.pick(IRISES),
    shirt: rng.pick(SHIRTS),
    glasses: rng.next() < 0.3,
    faceWidth: rng.range(0.9, 1.08),
  };
}

/** Draws head and shoulders into the box (x, y, w, h). */
export function drawFace(r: Raster, x: number, y: number, w: number, h: number, t: FaceTraits, pose: FacePose = NEUTRAL_POSE): void {
  const inBox = (px: number, py: number): boolean => px >= x && px < x + w && py >= y && py < y + h;
  const cx = x + w / 2 + pose.dx * w;
  const cy = y + h * 0.42 + pose.dy * h;
  const hrx = w * 0.25 * t.faceWidth * pose.scale;
  const hry = h * 0.27 * pose.scale;
  const shade = mix(t.skin, [0, 0, 0], 0.18);
  const outline = mix(t.skin, [0, 0, 0], 0.45);

  // long hair behind the head
  if (t.hairStyle === 2) {
    r.fillEllipse(cx, cy + hry * 0.35, hrx * 1.25, hry * 1.25, t.hair, 1, inBox);
  }
  // shoulders and neck
  r.fillRect(cx - hrx * 0.38, cy + hry * 0.55, hrx * 0.76, y + h * 0.85 - (cy + hry * 0.55), shade);
  r.fillEllipse(cx, y + h * 1.05, w * 0.5 * pose.scale, h * 0.3, t.shirt, 1, (px, py) =>
    inBox(px, py) && !(Math.abs(px - cx) < hrx * 0.38 - (py - (y + h * 0.75)) * 0.6 && py < y + h * 0.85),
  );
  // ears
  for (const side of [-1, 1]) {
    r.fillEllipse(cx + side * hrx * 0.97, cy + hry * 0.05, hrx * 0.15, hry * 0.2, t.skin, 1, inBox);
    r.fillEllipse(cx + side * hrx * 0.99, cy + hry * 0.05, hrx * 0.07, hry * 0.1, shade, 1, inBox);
  }
  // head
  r.fillEllipse(cx, cy, hrx, hry, t.skin, 1, inBox);
  // jaw shadow
  r.fillEllipse(cx, cy + hry * 0.1, hrx, hry * 0.95, shade, 0.25, (px, py) =>
    inBox(px, py) && !Raster.inEllipse(px, py, cx, cy - hry * 0.05, hrx * 0.9, hry * 0.92) && Raster.inEllipse(px, py, cx, cy, hrx, hry),
  );
  // hair on top
  if (t.hairStyle !== 3) {
    const hairline = (px: number): number => {
      const u = (px - cx) / hrx;
      if (t.hairStyle === 1) return cy - hry * 0.42 + u * hry * 0.18;
      if (t.hairStyle === 2) return cy - hry * 0.38 - Math.abs(u) * hry * 0.05;
      return cy - hry * 0.5 + u * u * hry * 0.15;
    };
    r.fillEllipse(cx, cy - hry * 0.22, hrx * 1.07, hry * 0.86, t.hair, 1, (px, py) => inBox(px, py) && py < hairline(px));
  } else {
    for (const side of [-1, 1]) r.fillEllipse(cx + side * hrx * 0.88, cy - hry * 0.12, hrx * 0.16, hry * 0.28, t.hair, 0.8, inBox);
  }
  // eyebrows, eyes
  const eyeY = cy - hry * 0.05;
  for (const side of [-1, 1]) {
    const ex = cx + side * hrx * 0.38;
    r.line(ex - hrx * 0.16, eyeY - hry * 0.17 + side * 0, ex + hrx * 0.16, eyeY - hry * 0.2, t.hair, Math.max(1.5, hry * 0.045));
    if (pose.blink) {
      r.arc(ex, eyeY, hrx * 0.15, hry * 0.04, 0.1 * Math.PI, 0.9 * Math.PI, outline, Math.max(1.2, hry * 0.025));
    } else {
      r.fillEllipse(ex, eyeY, hrx * 0.17, hry * 0.085, [250, 250, 250]);
      const ir = hry * 0.07;
      const ix = ex + pose.lookX * hrx * 0.06;
      r.fillEllipse(ix, eyeY, ir, ir, t.iris, 1, (px, py) => Raster.inEllipse(px, py, ex, eyeY, hrx * 0.17, hry * 0.085));
      r.fillEllipse(ix, eyeY, ir * 0.45, ir * 0.45, [10, 10, 10]);
      r.fillEllipse(ix + ir * 0.3, eyeY - ir * 0.3, ir * 0.18, ir * 0.18, [255, 255, 255]);
      r.arc(ex, eyeY, hrx * 0.17, hry * 0.085, Math.PI, 2 * Math.PI, outline, Math.max(1, hry * 0.018));
    }
    if (t.glasses) r.arc(ex, eyeY, hrx * 0.26, hry * 0.13, 0, 2 * Math.PI, [30, 30, 30], Math.max(1.5, hry * 0.025));
  }
  if (t.glasses) r.line(cx - hrx * 0.12, eyeY - hry * 0.02, cx + hrx * 0.12, eyeY - hry * 0.02, [30, 30, 30], Math.max(1.5, hry * 0.025));
  // nose
  r.line(cx + hrx * 0.02, eyeY + hry * 0.05, cx - hrx * 0.07, cy + hry * 0.28, shade, Math.max(1.2, hry * 0.03));
  r.arc(cx, cy + hry * 0.28, hrx * 0.1, hry * 0.05, 0.1 * Math.PI, 0.9 * Math.PI, outline, Math.max(1.2, hry * 0.025));
  // mouth
  const my = cy + hry * 0.5;
  if (pose.mouthOpen > 0.05) {
    r.fillEllipse(cx, my, hrx * 0.26, hry * 0.06 + hry * 0.12 * pose.mouthOpen, [120, 30, 40]);
    r.fillEllipse(cx, my - hry * 0.03, hrx * 0.2, hry * 0.03, [245, 245, 245], 1, (px, py) => py < my);
  } else {
    r.arc(cx, my - hry * 0.08, hrx * 0.3, hry * 0.12, 0.2 * Math.PI, 0.8 * Math.PI, [150, 50, 60], Math.max(1.5, hry * 0.04));
  }
  // cheeks
  for (const side of [-1, 1]) r.fillEllipse(cx + side * hrx * 0.55, cy + hry * 0.3, hrx * 0.16, hry * 0.08, [230, 110, 110], 0.15);
}

export interface PortraitOptions {
  width?: number;
  height?: number;
  format?: 'jpeg' | 'png';
  quality?: number;
  background?: Rgb;
}

/** A passport-style head-and-shoulders picture, for document_id_photo. */
export function renderPortraitRaster(seed: string, opts: PortraitOptions = {}): Raster {
  const width = opts.width ?? 240;
  const height = opts.height ?? 300;
  const rng = createRng(`portrait:${seed}`);
  const r = new Raster(width, height, opts.background ?? [214, 222, 230]);
  r.verticalGradient(0, 0, width, height, opts.background ?? [224, 230, 236], mix(opts.background ?? [224, 230, 236], [150, 160, 170], 0.4));
  drawFace(r, 0, 0, width, height, faceTraits(seed));
  r.noise(rng, 3);
  return r;
}

export function renderPortrait(seed: string, opts: PortraitOptions = {}): { contentType: string; bytes: Buffer } {
  const r = renderPortraitRaster(seed, opts);
  if (opts.format === 'png') return { contentType: 'image/png', bytes: encodePng(r) };
  return { contentType: 'image/jpeg', bytes: encodeJpeg(r, opts.quality ?? 85) };
}
