/**
 * What the page shows of a stored image instead of the image itself, made once when it enters the
 * store (derived, never evidence; derived-images.ts makes them). Sizes only, free of the codec, so
 * that listing and showing sessions loads no image code.
 * - the thumbnail: the evidence strip and the stage's first paint. A document page is about
 *   2,800 × 1,900 pixels (17–25 ms to decode in the page); its thumbnail decodes in well under a
 *   millisecond. The box covers the strip's 76 × 48 CSS pixel tiles at a device pixel ratio of 4.
 * - the screen copy, for an image larger than its box: the stage at the sizes where each of its
 *   pixels covers at least one device pixel (a stage up to 1,024 CSS pixels wide at a ratio of 2),
 *   about half of a page's pixels to decode. Quality 90 without chroma subsampling: at those sizes it
 *   looks as the original does.
 */
export type DerivedKind = 'thumbnail' | 'screen';

export interface Size {
  width: number;
  height: number;
}

export const DERIVED_IMAGES = {
  thumbnail: { box: { width: 384, height: 384 }, quality: 80, chromaSubsampling: '4:2:0' },
  screen: { box: { width: 2048, height: 2048 }, quality: 90, chromaSubsampling: '4:4:4' },
} as const satisfies Record<DerivedKind, { box: Size; quality: number; chromaSubsampling: '4:2:0' | '4:4:4' }>;

export const THUMBNAIL_BOX = DERIVED_IMAGES.thumbnail.box;

/** The size of an image of `pixels` fitted inside `box`, never enlarged (as sharp's `fit: 'inside'` rounds). */
export function fittedSize(pixels: Size, box: Size): Size {
  const scale = Math.min(1, box.width / pixels.width, box.height / pixels.height);
  if (scale === 1) return { ...pixels };
  // The side that limits takes the box's size exactly; the other is rounded.
  return box.width / pixels.width <= box.height / pixels.height
    ? { width: box.width, height: Math.max(1, Math.round(pixels.height * scale)) }
    : { width: Math.max(1, Math.round(pixels.width * scale)), height: box.height };
}

/** Whether an image of this size gets a screen copy. */
export function hasScreenCopy(pixels: Size): boolean {
  const { box } = DERIVED_IMAGES.screen;
  return pixels.width > box.width || pixels.height > box.height;
}
