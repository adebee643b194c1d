import sharp from 'sharp';
import { DERIVED_IMAGES, hasScreenCopy, type DerivedKind, type Size } from './derived-sizes';
import { fitJpeg, MAX_INPUT_PIXELS } from './fit-jpeg';
import { imageTypeOf } from './image-type';

/** The derived images of a stored image (derived-sizes.ts says what they are for), made with the app's one codec. */
export interface DerivedImages {
  /** The image's size, upright (as the page shows it). */
  pixels: Size;
  thumbnail: Buffer;
  /** Null when the image already fits the screen box: the stage shows the image itself. */
  screen: Buffer | null;
}

/** The thumbnail, the screen copy (when larger than its box) and the upright size; null for anything that is not a JPEG or PNG that decodes. */
export async function deriveImages(bytes: Buffer, declaredType: string): Promise<DerivedImages | null> {
  if ('refused' in imageTypeOf(declaredType, bytes)) return null;
  try {
    const meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    if (meta.width === undefined || meta.height === undefined) return null;
    // EXIF orientations 5–8 turn the image a quarter: the page shows it with its sides swapped.
    const turned = (meta.orientation ?? 1) >= 5;
    const pixels = turned ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
    const screen = hasScreenCopy(pixels) ? await derive(bytes, 'screen') : null;
    // From the copy when there is one: the original (a 12-megapixel capture) is decoded once, not twice.
    const thumbnail = await derive(screen ?? bytes, 'thumbnail');
    return { pixels, thumbnail, screen };
  } catch {
    return null; // a damaged image has nothing derived; the stage says it cannot be shown
  }
}

/** One derived image of a stored image's bytes (checked by the caller): what the media protocol makes when none is stored. Rejects a damaged image. */
export async function derive(bytes: Uint8Array, kind: DerivedKind): Promise<Buffer> {
  const { box, quality, chromaSubsampling } = DERIVED_IMAGES[kind];
  return (await fitJpeg(bytes, box, { quality, chromaSubsampling })).data;
}
