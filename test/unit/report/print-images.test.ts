import sharp from 'sharp';
import { describe, expect, test } from 'vitest';
import { fitImage, fitImagesForPrint, PRINT_PIXELS } from '../../../main/core/report/print-images';
import type { ReportContent } from '../../../main/core/report/types';
import { picture } from '../../support/picture';

const size = async (b: Buffer) => {
  const m = await sharp(b).metadata();
  return { width: m.width, height: m.height, format: m.format, orientation: m.orientation };
};

describe('images fitted to their printed size', () => {
  test('the box is the tile at 300 dpi (a tile is about 164 × 126 pt)', () => {
    expect(PRINT_PIXELS).toEqual({ width: 683, height: 525 });
  });

  test('a document page captured at 2,769 × 1,938 is embedded at the box size, aspect kept, a fraction of the bytes', async () => {
    const page = await picture(2769, 1938, 'jpeg');
    const fitted = await fitImage({ data: page, format: 'jpg' });
    const s = await size(fitted.data);
    expect(fitted.format).toBe('jpg');
    expect(s.width).toBe(PRINT_PIXELS.width);
    expect(Math.abs(s.height - (PRINT_PIXELS.width * 1938) / 2769)).toBeLessThanOrEqual(1);
    expect(fitted.data.length).toBeLessThan(page.length / 5);
  });

  test('a tall portrait is bounded by the height', async () => {
    const fitted = await fitImage({ data: await picture(600, 1200, 'jpeg'), format: 'jpg' });
    expect(await size(fitted.data)).toMatchObject({ width: 263, height: PRINT_PIXELS.height });
  });

  test('an image that already fits keeps its size (never enlarged) and loses its metadata: no EXIF, no GPS, no comment', async () => {
    const tagged = await sharp(await picture(240, 300, 'jpeg'))
      .withExif({ IFD0: { Copyright: 'taken at 51.5072N 0.1276W' } })
      .jpeg()
      .toBuffer();
    expect(tagged.includes('51.5072N')).toBe(true);
    const fitted = await fitImage({ data: tagged, format: 'jpg' });
    expect(await size(fitted.data)).toMatchObject({ width: 240, height: 300, format: 'jpeg' });
    expect(fitted.data.includes('51.5072N')).toBe(false);
    expect((await sharp(fitted.data).metadata()).exif).toBeUndefined();
    const png = await fitImage({ data: await picture(300, 200, 'png'), format: 'png' });
    expect(png.format).toBe('jpg');
    expect(await size(png.data)).toMatchObject({ width: 300, height: 200 });
  });

  test('an EXIF-rotated capture is printed upright, as the app shows it', async () => {
    const rotated = await picture(300, 200, 'jpeg', { orientation: 6 });
    expect((await size(rotated)).orientation).toBe(6);
    const fitted = await size((await fitImage({ data: rotated, format: 'jpg' })).data);
    expect(fitted).toMatchObject({ width: 200, height: 300 });
    expect(fitted.orientation ?? 1).toBe(1);
  });

  test('a large PNG with transparency becomes a JPEG on white', async () => {
    const fitted = await fitImage({ data: await picture(1600, 1000, 'png', { alpha: true }), format: 'png' });
    expect(fitted.format).toBe('jpg');
    const { data } = await sharp(fitted.data).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]].every((v) => v !== undefined && v > 245)).toBe(true);
  });

  test('a damaged image, or a header claiming more pixels than any capture, becomes a captioned gap, not a failed export', async () => {
    const page = await picture(1200, 800, 'jpeg');
    const truncated = page.subarray(0, Math.floor(page.length / 2));
    // A valid PNG header declaring 20,000 × 20,000 pixels, and nothing behind it.
    const bomb = await picture(1, 1, 'png');
    bomb.writeUInt32BE(20_000, 16);
    bomb.writeUInt32BE(20_000, 20);
    const content = {
      sections: [
        {
          id: 'evidence',
          title: 'Evidence',
          blocks: [
            { kind: 'text', text: 'kept as it is' },
            {
              kind: 'images',
              tiles: [
                { caption: 'Truncated', detail: 'a', image: { data: truncated, format: 'jpg' } },
                { caption: 'Bomb', detail: 'b', image: { data: bomb, format: 'png' } },
                { caption: 'Fine', detail: 'c', image: { data: page, format: 'jpg' } },
                { caption: 'Missing', detail: 'd', placeholder: 'Not stored' },
              ],
            },
          ],
        },
      ],
    } as unknown as ReportContent;
    const printed = await fitImagesForPrint(content);
    const [text, images] = printed.sections[0]!.blocks;
    expect(text).toBe(content.sections[0]!.blocks[0]);
    if (images?.kind !== 'images') throw new Error('the images block is gone');
    expect(images.tiles.map((t) => t.placeholder)).toEqual([
      'The stored image could not be read (not a complete JPEG or PNG)',
      'The stored image could not be read (not a complete JPEG or PNG)',
      undefined,
      'Not stored',
    ]);
    expect(images.tiles[0]).not.toHaveProperty('image');
    expect((await size(images.tiles[2]!.image!.data)).width).toBe(PRINT_PIXELS.width);
  });
});
