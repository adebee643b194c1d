import { fitJpeg } from '../images/fit-jpeg';
import { TILE_IMAGE_BOX } from './document';
import type { ImageTile, ReportBlock, ReportContent, ReportImage } from './types';

/**
 * Images at the resolution their printed size needs. A document page is captured at about 2,800 ×
 * 1,900 pixels and printed in a tile 5.8 cm wide: embedding the original makes a 3.7 MB record of
 * pixels no printer resolves. Each tile's image is fitted to its box at 300 dpi (never enlarged),
 * turned upright and encoded afresh as a JPEG (images/fit-jpeg.ts): nothing of the file but its pixels
 * reaches the PDF. The originals stay in the store, and the record prints their hashes.
 *
 * The codec is sharp (libvips): about 30 ms per page on the 2-core machine where jpeg-js, the pure-JS
 * codec the demo server draws with, takes over a second to decode one, and its prebuilt binaries come
 * from the npm registry (N-API: no rebuild for Electron). It reads only what sniffImage() already
 * accepted as JPEG or PNG.
 */

const PRINT_DPI = 300;
const POINTS_PER_INCH = 72;
const JPEG_QUALITY = 85;

export const PRINT_PIXELS = {
  width: Math.ceil((TILE_IMAGE_BOX.width / POINTS_PER_INCH) * PRINT_DPI),
  height: Math.ceil((TILE_IMAGE_BOX.height / POINTS_PER_INCH) * PRINT_DPI),
} as const;

/** The content with every embedded image fitted for print; a tile whose image cannot be decoded gets a placeholder. */
export async function fitImagesForPrint(content: ReportContent): Promise<ReportContent> {
  const sections = await Promise.all(
    content.sections.map(async (section) => ({ ...section, blocks: await Promise.all(section.blocks.map(fitBlock)) })),
  );
  return { ...content, sections };
}

async function fitBlock(block: ReportBlock): Promise<ReportBlock> {
  if (block.kind !== 'images') return block;
  return { ...block, tiles: await Promise.all(block.tiles.map(fitTile)) };
}

async function fitTile(tile: ImageTile): Promise<ImageTile> {
  if (tile.image === undefined) return tile;
  try {
    return { ...tile, image: await fitImage(tile.image) };
  } catch {
    return { caption: tile.caption, detail: tile.detail, placeholder: 'The stored image could not be read (not a complete JPEG or PNG)' };
  }
}

/** The image as printed: its pixels, upright, fitted to the tile, as a JPEG without metadata. */
export async function fitImage(image: ReportImage): Promise<ReportImage> {
  return { data: (await fitJpeg(image.data, PRINT_PIXELS, { quality: JPEG_QUALITY })).data, format: 'jpg' };
}
