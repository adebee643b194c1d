import sharp from 'sharp';

/** A photo-like test image (a gradient with noise, so JPEG cannot make it tiny), encoded by sharp. */
export async function picture(width: number, height: number, format: 'jpeg' | 'png', opts: { orientation?: number; alpha?: boolean } = {}): Promise<Buffer> {
  const channels = opts.alpha ? 4 : 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = (x * 7 + y * 13) % 256;
      if (opts.alpha) raw[i + 3] = x < width / 2 ? 0 : 255;
    }
  }
  const img = sharp(raw, { raw: { width, height, channels } });
  const encoded = format === 'jpeg' ? img.jpeg({ quality: 95 }) : img.png();
  return (opts.orientation === undefined ? encoded : encoded.withMetadata({ orientation: opts.orientation })).toBuffer();
}
