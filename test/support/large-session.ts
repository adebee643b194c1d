import { DEFAULT_RESPONSE_CONFIG, sessionFromResponseConfig } from '../../main/core/demo-server/response-config';
import { padJpeg } from '../../main/core/demo-server/media/jpeg';
import { seededUuid } from '../../main/core/demo-server/random';
import type { DemoMedia, DemoSession } from '../../main/core/demo-server/types';

export const MIB = 1024 * 1024;

/**
 * A session whose media are `items` JPEGs of `itemBytes` each (ZOOM liveness frames, all sharing one
 * padded buffer, so the server holds one copy) plus the few small items the default session has: what
 * the memory test and benchmark fetch to show that memory follows the downloads in flight, not the
 * session.
 */
export function largeSession(name: string, items: number, itemBytes: number): DemoSession {
  const sessionId = seededUuid('idv-review-large', name);
  const s = sessionFromResponseConfig(DEFAULT_RESPONSE_CONFIG, {
    sessionId,
    seed: sessionId,
    createdAt: new Date('2026-01-05T10:00:00Z'),
    media: { zoomImageFrames: items, zoomEmptyFrames: 0, pageFrames: 0 },
  });
  const all = s.media instanceof Map ? [...(s.media as ReadonlyMap<string, DemoMedia>)] : Object.entries(s.media as Record<string, DemoMedia>);
  let big: Buffer | undefined;
  let left = items;
  const media = new Map<string, DemoMedia>();
  for (const [id, m] of all) {
    if (left > 0 && !('noContent' in m) && m.contentType === 'image/jpeg') {
      big ??= padJpeg(Buffer.from('bytes' in m ? m.bytes : m.generate()), itemBytes);
      media.set(id, { contentType: 'image/jpeg', bytes: big });
      left -= 1;
    } else media.set(id, m);
  }
  if (left > 0) throw new Error(`the session has only ${items - left} JPEG items, not ${items}`);
  return { ...s, media };
}
