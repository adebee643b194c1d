import type { Rng } from '../random';
import { glyphFor, GLYPH_HEIGHT, GLYPH_WIDTH } from './font';

/** An RGB colour, 0–255 per channel. */
export type Rgb = readonly [number, number, number];

const clamp = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v | 0);

/**
 * A small software rasteriser over an RGBA buffer (the layout jpeg-js and our PNG encoder take).
 * Only what the synthetic media need: rectangles, ellipses, thick lines and arcs, gradients, noise,
 * bitmap text and scaled copies. Alpha is always 255 in the buffer; drawing takes an opacity instead.
 */
export class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`Bad raster size ${width}×${height}`);
    }
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Blends colour `c` at (x, y) with opacity `a` (0–1). Out-of-bounds pixels are ignored. */
  plot(x: number, y: number, c: Rgb, a = 1): void {
    const xi = x | 0;
    const yi = y | 0;
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const i = (yi * this.width + xi) * 4;
    const d = this.data;
    if (a >= 1) {
      d[i] = c[0];
      d[i + 1] = c[1];
      d[i + 2] = c[2];
    } else if (a > 0) {
      d[i] = clamp((d[i] ?? 0) * (1 - a) + c[0] * a);
      d[i + 1] = clamp((d[i + 1] ?? 0) * (1 - a) + c[1] * a);
      d[i + 2] = clamp((d[i + 2] ?? 0) * (1 - a) + c[2] * a);
    }
    d[i + 3] = 255;
  }

  get(x: number, y: number): Rgb {
    const xi = Math.min(this.width - 1, Math.max(0, x | 0));
    const yi = Math.min(this.height - 1, Math.max(0, y | 0));
    const i = (yi * this.width + xi) * 4;
    return [this.data[i] ?? 0, this.data[i + 1] ?? 0, this.data[i + 2] ?? 0];
  }

  fillRect(x: number, y: number, w: number, h: number, c: Rgb, a = 1): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) this.plot(xx, yy, c, a);
  }

  strokeRect(x: number, y: number, w: number, h: number, c: Rgb, t = 1, a = 1): void {
    this.fillRect(x, y, w, t, c, a);
    this.fillRect(x, y + h - t, w, t, c, a);
    this.fillRect(x, y + t, t, h - 2 * t, c, a);
    this.fillRect(x + w - t, y + t, t, h - 2 * t, c, a);
  }

  fillRoundedRect(x: number, y: number, w: number, h: number, r: number, c: Rgb, a = 1): void {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(this.width, Math.ceil(x + w));
    const y1 = Math.min(this.height, Math.ceil(y + h));
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const dx = Math.max(x + r - xx - 0.5, 0, xx + 0.5 - (x + w - r));
        const dy = Math.max(y + r - yy - 0.5, 0, yy + 0.5 - (y + h - r));
        const dist = Math.hypot(dx, dy);
        if (dist <= r) this.plot(xx, yy, c, a * Math.min(1, r - dist + 0.5));
      }
    }
  }

  /** Filled ellipse, antialiased at the rim; `clip` can restrict which pixels are painted. */
  fillEllipse(cx: number, cy: number, rx: number, ry: number, c: Rgb, a = 1, clip?: (x: number, y: number) => boolean): void {
    if (rx <= 0 || ry <= 0) return;
    const x0 = Math.max(0, Math.floor(cx - rx - 1));
    const x1 = Math.min(this.width - 1, Math.ceil(cx + rx + 1));
    const y0 = Math.max(0, Math.floor(cy - ry - 1));
    const y1 = Math.min(this.height - 1, Math.ceil(cy + ry + 1));
    const edge = 1 / Math.min(rx, ry);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const nx = (x + 0.5 - cx) / rx;
        const ny = (y + 0.5 - cy) / ry;
        const d = Math.sqrt(nx * nx + ny * ny);
        if (d > 1 + edge) continue;
        if (clip && !clip(x, y)) continue;
        const cover = d <= 1 - edge ? 1 : Math.max(0, Math.min(1, (1 + edge - d) / (2 * edge)));
        this.plot(x, y, c, a * cover);
      }
    }
  }

  /** True when (x, y) lies inside the ellipse. */
  static inEllipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): boolean {
    const nx = (x + 0.5 - cx) / rx;
    const ny = (y + 0.5 - cy) / ry;
    return nx * nx + ny * ny <= 1;
  }

  /** Thick line with round caps. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thickness = 1, a = 1): void {
    const len = Math.hypot(x1 - x0, y1 - y0);
    const r = thickness / 2;
    const steps = Math.max(1, Math.ceil(len / Math.max(0.5, r * 0.7)));
    // stamp discs along the segment into a coverage mask so overlaps do not darken the line
    const minX = Math.max(0, Math.floor(Math.min(x0, x1) - r - 1));
    const maxX = Math.min(this.width - 1, Math.ceil(Math.max(x0, x1) + r + 1));
    const minY = Math.max(0, Math.floor(Math.min(y0, y1) - r - 1));
    const maxY = Math.min(this.height - 1, Math.ceil(Math.max(y0, y1) + r + 1));
    if (minX > maxX || minY > maxY) return;
    const mw = maxX - minX + 1;
    const mask = new Float32Array(mw * (maxY - minY + 1));
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const px = x0 + (x1 - x0) * t;
      const py = y0 + (y1 - y0) * t;
      for (let y = Math.max(minY, Math.floor(py - r - 1)); y <= Math.min(maxY, Math.ceil(py + r + 1)); y++) {
        for (let x = Math.max(minX, Math.floor(px - r - 1)); x <= Math.min(maxX, Math.ceil(px + r + 1)); x++) {
          const d = Math.hypot(x + 0.5 - px, y + 0.5 - py);
          const cover = Math.max(0, Math.min(1, r + 0.5 - d));
          const k = (y - minY) * mw + (x - minX);
          if (cover > (mask[k] ?? 0)) mask[k] = cover;
        }
      }
    }
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        const cover = mask[(y - minY) * mw + (x - minX)] ?? 0;
        if (cover > 0) this.plot(x, y, c, a * cover);
      }
    }
  }

  /** Elliptical arc from angle a0 to a1 (radians, 0 = +x, clockwise because y grows down). */
  arc(cx: number, cy: number, rx: number, ry: number, a0: number, a1: number, c: Rgb, thickness = 1, a = 1): void {
    const segments = Math.max(6, Math.ceil((Math.abs(a1 - a0) * Math.max(rx, ry)) / 3));
    let px = cx + rx * Math.cos(a0);
    let py = cy + ry * Math.sin(a0);
    for (let i = 1; i <= segments; i++) {
      const t = a0 + ((a1 - a0) * i) / segments;
      const nx = cx + rx * Math.cos(t);
      const ny = cy + ry * Math.sin(t);
      this.line(px, py, nx, ny, c, thickness, a);
      px = nx;
      py = ny;
    }
  }

  verticalGradient(x: number, y: number, w: number, h: number, top: Rgb, bottom: Rgb): void {
    const y0 = Math.max(0, Math.round(y));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++) {
      const t = h <= 1 ? 0 : (yy - y) / (h - 1);
      const c: Rgb = [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t];
      this.fillRect(x, yy, w, 1, c);
    }
  }

  /** Adds uniform noise of ±amplitude to every channel inside the rectangle (sensor grain). */
  noise(rng: Rng, amplitude: number, x = 0, y = 0, w = this.width, h = this.height): void {
    if (amplitude <= 0) return;
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    const d = this.data;
    const span = amplitude * 2 + 1;
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0; xx < x1; xx++) {
        const i = (yy * this.width + xx) * 4;
        const n = Math.floor(rng.next() * span) - amplitude;
        d[i] = clamp((d[i] ?? 0) + n);
        d[i + 1] = clamp((d[i + 1] ?? 0) + n);
        d[i + 2] = clamp((d[i + 2] ?? 0) + n);
      }
    }
  }

  /** Width in pixels of `text` drawn at integer `scale`. */
  static textWidth(text: string, scale: number): number {
    const n = [...text].length;
    return n === 0 ? 0 : (n * (GLYPH_WIDTH + 1) - 1) * scale;
  }

  static textHeight(scale: number): number {
    return GLYPH_HEIGHT * scale;
  }

  /** Draws `text` with the bitmap font, top-left at (x, y), each font pixel a scale×scale block. */
  text(text: string, x: number, y: number, scale: number, c: Rgb, a = 1): void {
    let cx = Math.round(x);
    const s = Math.max(1, Math.round(scale));
    for (const ch of text) {
      const glyph = glyphFor(ch);
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        const row = glyph[gy] ?? 0;
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
          if (row & (1 << (GLYPH_WIDTH - 1 - gx))) this.fillRect(cx + gx * s, Math.round(y) + gy * s, s, s, c, a);
        }
      }
      cx += (GLYPH_WIDTH + 1) * s;
    }
  }

  /** Copies `src` into this raster at (dx, dy) scaled to dw×dh (bilinear). */
  drawScaled(src: Raster, dx: number, dy: number, dw: number, dh: number, a = 1): void {
    const x0 = Math.max(0, Math.round(dx));
    const y0 = Math.max(0, Math.round(dy));
    const x1 = Math.min(this.width, Math.round(dx + dw));
    const y1 = Math.min(this.height, Math.round(dy + dh));
    const sx = src.width / dw;
    const sy = src.height / dh;
    const s = src.data;
    for (let y = y0; y < y1; y++) {
      const fy = Math.max(0, Math.min(src.height - 1, (y - dy + 0.5) * sy - 0.5));
      const iy = Math.floor(fy);
      const ty = fy - iy;
      const iy1 = Math.min(src.height - 1, iy + 1);
      for (let x = x0; x < x1; x++) {
        const fx = Math.max(0, Math.min(src.width - 1, (x - dx + 0.5) * sx - 0.5));
        const ix = Math.floor(fx);
        const tx = fx - ix;
        const ix1 = Math.min(src.width - 1, ix + 1);
        const i00 = (iy * src.width + ix) * 4;
        const i01 = (iy * src.width + ix1) * 4;
        const i10 = (iy1 * src.width + ix) * 4;
        const i11 = (iy1 * src.width + ix1) * 4;
        const ch = (o: number): number =>
          ((s[i00 + o] ?? 0) * (1 - tx) + (s[i01 + o] ?? 0) * tx) * (1 - ty) + ((s[i10 + o] ?? 0) * (1 - tx) + (s[i11 + o] ?? 0) * tx) * ty;
        this.plot(x, y, [ch(0), ch(1), ch(2)], a);
      }
    }
  }

  /** A new raster holding this one scaled to w×h. */
  scaled(w: number, h: number): Raster {
    const out = new Raster(w, h);
    out.drawScaled(this, 0, 0, w, h);
    return out;
  }

  /** Multiplies brightness in a rectangle (1 = unchanged), for lighting changes between frames. */
  tint(factor: number, shift: Rgb = [0, 0, 0]): void {
    const d = this.data;
    for (let i = 0; i < d.length; i += 4) {
      d[i] = clamp((d[i] ?? 0) * factor + shift[0]);
      d[i + 1] = clamp((d[i + 1] ?? 0) * factor + shift[1]);
      d[i + 2] = clamp((d[i + 2] ?? 0) * factor + shift[2]);
    }
  }
}

export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
