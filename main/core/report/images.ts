/**
 * What an image's bytes really are, so a damaged or mislabelled file becomes a captioned gap in the
 * report instead of a failed export. Pure.
 */

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A JPEG whose markers lead to a frame header (SOFn), as the PDF library needs one for the size. */
function isJpeg(b: Uint8Array): boolean {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return false;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return false;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return i + 9 <= b.length;
    if (marker === 0xd9 || marker === 0xda) return false; // end or scan before any frame header
    const len = ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0);
    if (len < 2) return false;
    i += 2 + len;
  }
  return false;
}

/** A PNG with its signature and an IHDR chunk first. */
function isPng(b: Uint8Array): boolean {
  if (b.length < 33) return false;
  if (!PNG_SIGNATURE.every((v, i) => b[i] === v)) return false;
  return String.fromCharCode(b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0) === 'IHDR';
}

/** 'jpg' or 'png' by content, whatever the label says; undefined when neither can be embedded. */
export function sniffImage(data: Uint8Array): 'jpg' | 'png' | undefined {
  if (isJpeg(data)) return 'jpg';
  if (isPng(data)) return 'png';
  return undefined;
}
