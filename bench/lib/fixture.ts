import { DEFAULT_RESPONSE_CONFIG, sessionFromResponseConfig } from '../../main/core/demo-server/response-config';
import type { DemoMedia, DemoSession } from '../../main/core/demo-server/types';
import { padJpeg } from '../../main/core/demo-server/media/jpeg';
import { seededUuid } from '../../main/core/demo-server/random';

/**
 * The benchmark session: one ID card (two sides) with a ZOOM liveness capture, 12 media items and
 * about 5.9 MB, sized like real captures:
 *
 *   2 document pages          ≈ 1 MB each  (specimen drawings rendered to ~1 MB, then padded exactly)
 *   2 page frames             ≈ 1 MB each  (the capture frame of each page, same resolution)
 *   1 document photo          ≈ 150 KB (the portrait crop)
 *   1 document fields JSON    (~1 KB)
 *   5 liveness frames         ≈ 300 KB each
 *   1 facemap                 200 KB (opaque binary)
 *
 * Pixels are drawn by the demo server's generators; sizes are reached with JPEG comment padding, so
 * every item is a valid JPEG with the right magic number. The bytes are generated once and shared by
 * every session of a queue (only ids differ), so 50 sessions cost 6 MB of memory, not 300.
 */
export const PAGE_BYTES = 1_000_000;
export const LIVENESS_FRAME_BYTES = 300_000;
export const FACEMAP_BYTES = 200_000;
export const PHOTO_BYTES = 150_000;
export const LIVENESS_FRAMES = 5;

const CONFIG = {
  ...DEFAULT_RESPONSE_CONFIG,
  task_results: {
    ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {}, document_filter: { document_types: ['DRIVING_LICENCE'], country_codes: ['GBR'] } }],
  },
};

const MEDIA_OPTIONS = { pageTargetBytes: PAGE_BYTES, pageFrames: 1, zoomImageFrames: LIVENESS_FRAMES, facemapBytes: FACEMAP_BYTES };

export const benchSessionId = (index: number): string => seededUuid('idv-review-bench', `session:${index}`);

function materialise(sessionId: string): DemoSession {
  return sessionFromResponseConfig(CONFIG, { sessionId, seed: sessionId, createdAt: new Date('2026-01-05T10:00:00Z'), media: MEDIA_OPTIONS });
}

function entries(s: DemoSession): Array<[string, DemoMedia]> {
  return s.media instanceof Map ? [...(s.media as ReadonlyMap<string, DemoMedia>)] : Object.entries(s.media as Record<string, DemoMedia>);
}

export interface Template {
  /** Content per media slot, in the session's media order (same structure for every session). */
  items: Array<{ contentType: string; bytes: Buffer }>;
  totalBytes: number;
}

/** Draws the 12 items once (a few seconds of pure-JS JPEG encoding). */
export function buildTemplate(): Template {
  const s = materialise(benchSessionId(0));
  const items = entries(s).map(([, m], slot) => {
    if ('noContent' in m) throw new Error('the benchmark session has no empty items');
    const raw = Buffer.from('bytes' in m ? m.bytes : m.generate());
    const target = slotTarget(slot, m.contentType, raw.length);
    return { contentType: m.contentType, bytes: target > raw.length ? padJpeg(raw, target) : raw };
  });
  if (items.length !== 12) throw new Error(`the benchmark session should have 12 media items, not ${items.length}`);
  return { items, totalBytes: items.reduce((n, i) => n + i.bytes.length, 0) };
}

/**
 * Slot order of materialise(): page 0, its frame, page 1, its frame, fields, photo, 5 liveness frames, facemap.
 * Pages are already rendered to PAGE_BYTES; frames and the photo (rendered smaller) are padded up.
 */
function slotTarget(slot: number, contentType: string, size: number): number {
  if (contentType !== 'image/jpeg') return size;
  if (slot === 1 || slot === 3) return PAGE_BYTES;
  if (slot === 5) return PHOTO_BYTES;
  if (slot >= 6 && slot < 6 + LIVENESS_FRAMES) return LIVENESS_FRAME_BYTES;
  return size;
}

/** A session with its own ids (session JSON and media ids) and the template's bytes. */
export function benchSession(index: number, template: Template): DemoSession {
  const s = materialise(benchSessionId(index));
  const media = new Map<string, DemoMedia>();
  entries(s).forEach(([mediaId], slot) => {
    const item = template.items[slot];
    if (!item) throw new Error('session structure differs from the template');
    media.set(mediaId, { contentType: item.contentType, bytes: item.bytes });
  });
  return { ...s, media };
}

export function sessionJsonBytes(s: DemoSession): number {
  return Buffer.byteLength(JSON.stringify(s.session), 'utf8');
}
