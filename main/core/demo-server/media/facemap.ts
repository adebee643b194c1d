import { createRng } from '../random';

/**
 * A stand-in for a ZOOM facemap: opaque binary served as application/octet-stream. It starts with an
 * ASCII marker that no image format uses, so nothing mistakes it for a picture, then deterministic
 * pseudo-random bytes. It encodes nothing about any face.
 */
export const FACEMAP_MARKER = 'SYNTHFACEMAP\u0000v1\u0000';

export function generateFacemap(seed: string, size = 24 * 1024): Buffer {
  const marker = Buffer.from(FACEMAP_MARKER, 'latin1');
  const total = Math.max(size, marker.length + 16);
  const out = Buffer.alloc(total);
  marker.copy(out, 0);
  Buffer.from(createRng(`facemap:${seed}`).bytes(total - marker.length)).copy(out, marker.length);
  return out;
}
