import { fitJpeg } from './fit-jpeg';
import { imageTypeOf } from './image-type';

/**
 * A stored image's thumbnail: what the evidence strip shows, and the stage before the full image has
 * decoded. A document page is about 2,800 × 1,900 pixels (17–25 ms to decode in the page); its
 * thumbnail decodes in well under a millisecond. The box covers the strip's 76 × 48 CSS pixel tiles at
 * a device pixel ratio of 4 and gives the stage a recognisable first paint.
 */
export const THUMBNAIL_BOX = { width: 384, height: 384 } as const;
const THUMBNAIL_QUALITY = 80;

/** The thumbnail as a JPEG, or null for anything that is not a JPEG or PNG that decodes. */
export async function makeThumbnail(bytes: Buffer, declaredType: string): Promise<Buffer | null> {
  if ('refused' in imageTypeOf(declaredType, bytes)) return null;
  try {
    return (await fitJpeg(bytes, THUMBNAIL_BOX, THUMBNAIL_QUALITY)).data;
  } catch {
    return null; // a damaged image has no thumbnail; the stage says it cannot be shown
  }
}
