import { randomBytes } from 'node:crypto';
import { isAppError } from '../../common/errors';
import { imageTypeOf } from '../core/images/image-type';
import type { MediaVariant } from '../core/store/media-view';
import type { SessionStore } from '../core/store/session-store';
import { assertYotiId } from '../../common/yoti-ids';

/**
 * Opaque URLs for stored images (Signal's attachment:// pattern, with an id instead of a key). A
 * token is 128 random bits, made on first use of a (session, media) pair and valid until the app
 * quits or the session is removed. It names nothing on disk: `resolve` decrypts from the store, and
 * only JPEG and PNG whose bytes really are JPEG or PNG are served. The facemap, JSON, PDFs and
 * anything else never reach the page (threat T3). Each image has a token for each of its derived
 * images, the thumbnail and the screen copy (the one stored beside it, or one made from the item when
 * none is).
 */

export type MediaResolution =
  | { ok: true; bytes: Buffer; contentType: 'image/jpeg' | 'image/png' }
  | { ok: false; status: 404; reason: string };


interface Entry {
  sessionId: string;
  mediaId: string;
  variant: MediaVariant;
}

const TOKEN = /^[0-9a-f]{32}$/;

export interface MediaRegistryOptions {
  /** `idv-media://media/` in Electron, `http://127.0.0.1:PORT/media/` in the test bridge. Must end with '/'. */
  base: string;
  store: () => Promise<SessionStore>;
  /** Injected for tests. */
  randomToken?: () => string;
}

export class MediaRegistry {
  readonly base: string;
  readonly #store: () => Promise<SessionStore>;
  readonly #randomToken: () => string;
  readonly #byToken = new Map<string, Entry>();
  readonly #byPair = new Map<string, string>();

  constructor(opts: MediaRegistryOptions) {
    if (!opts.base.endsWith('/')) throw new RangeError('the media URL base must end with "/"');
    this.base = opts.base;
    this.#store = opts.store;
    this.#randomToken = opts.randomToken ?? (() => randomBytes(16).toString('hex'));
  }

  /** The URL the page loads for one media item or a derived image of it (the same one for the whole run); a MediaUrl, passed as it is. */
  readonly urlFor = (sessionId: string, mediaId: string, variant: MediaVariant = 'full'): string => `${this.base}${this.tokenFor(sessionId, mediaId, variant)}`;

  tokenFor(sessionId: string, mediaId: string, variant: MediaVariant = 'full'): string {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    const pair = `${sid}/${mid}/${variant}`;
    const existing = this.#byPair.get(pair);
    if (existing !== undefined) return existing;
    let token = this.#randomToken();
    while (this.#byToken.has(token)) token = this.#randomToken();
    if (!TOKEN.test(token)) throw new RangeError('media tokens must be 32 lower-case hex characters');
    this.#byToken.set(token, { sessionId: sid, mediaId: mid, variant });
    this.#byPair.set(pair, token);
    return token;
  }

  /** The token in a URL under this registry's base (or a bare token), or null. */
  tokenFromUrl(url: string): string | null {
    const rest = url.startsWith(this.base) ? url.slice(this.base.length) : url;
    return TOKEN.test(rest) ? rest : null;
  }

  /** Forgets every token of a session (removed locally or deleted at Yoti). */
  revokeSession(sessionId: string): void {
    for (const [token, entry] of this.#byToken) {
      if (entry.sessionId !== sessionId) continue;
      this.#byToken.delete(token);
      this.#byPair.delete(`${entry.sessionId}/${entry.mediaId}/${entry.variant}`);
    }
  }

  revokeAll(): void {
    this.#byToken.clear();
    this.#byPair.clear();
  }

  get size(): number {
    return this.#byToken.size;
  }

  async resolve(token: string): Promise<MediaResolution> {
    const entry = TOKEN.test(token) ? this.#byToken.get(token) : undefined;
    if (!entry) return { ok: false, status: 404, reason: 'unknown or expired token' };
    const store = await this.#store();
    let loaded;
    try {
      if (entry.variant !== 'full') {
        const derived = await store.loadDerived(entry.variant, entry.sessionId, entry.mediaId);
        if (derived !== null) return { ok: true, bytes: derived, contentType: 'image/jpeg' };
      }
      loaded = await store.loadMedia(entry.sessionId, entry.mediaId);
    } catch (err) {
      // A damaged item is never served; the reason is for the log, not the page.
      return { ok: false, status: 404, reason: isAppError(err) ? err.code : 'store error' };
    }
    if (loaded === null) return { ok: false, status: 404, reason: 'not stored' };
    if ('noContent' in loaded) return { ok: false, status: 404, reason: 'no content' };
    const image = imageTypeOf(loaded.meta.mimeType, loaded.bytes);
    if ('refused' in image) return { ok: false, status: 404, reason: image.refused };
    if (entry.variant === 'full') return { ok: true, bytes: loaded.bytes, contentType: image.type };
    // Stored before it was made at fetch time, or swept: made now (not kept; a fetch again stores one).
    const { derive } = await import('../core/images/derived-images');
    const made = await derive(loaded.bytes, entry.variant).catch(() => null);
    return made === null ? { ok: false, status: 404, reason: 'the image does not decode' } : { ok: true, bytes: made, contentType: 'image/jpeg' };
  }
}
