import sharp from 'sharp';

/**
 * The one image codec of the app (sharp, libvips): printed tiles and thumbnails are both an image
 * fitted into a box, turned upright as its EXIF orientation says (as the page shows it), and encoded
 * afresh as a JPEG with nothing of the stored file but its pixels (no EXIF, no GPS position, no
 * comments). libvips is native code reading images from Yoti, so callers give it only what
 * imageTypeOf() accepts; it reads under a pixel limit and keeps no decoded image in its cache.
 */

/** Far above any capture (a 12 MP phone photo is 12 M): a larger header is refused, not decoded. */
export const MAX_INPUT_PIXELS = 100_000_000;

sharp.cache(false);

export interface FittedJpeg {
  data: Buffer;
  width: number;
  height: number;
}

/** The image upright, fitted inside the box (never enlarged), on white, as a JPEG without metadata. Rejects a damaged or oversized image. */
export async function fitJpeg(
  image: Uint8Array,
  box: { width: number; height: number },
  jpeg: { quality: number; chromaSubsampling?: '4:2:0' | '4:4:4' },
): Promise<FittedJpeg> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .rotate()
    .resize({ ...box, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .jpeg(jpeg)
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
