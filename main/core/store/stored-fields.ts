import { isAppError } from '../../../common/errors';
import { parseDocumentFieldsJson } from '../report/gather';
import type { SessionStore } from './session-store';

/**
 * Reads one stored document-fields JSON of a session, for session/changed-fields.ts: the object, or
 * undefined when it is not stored, has no content, is damaged or is not a fields object (then there is
 * nothing to compare, and the damage is reported where the media are listed).
 */
export function storedFieldsReader(store: Pick<SessionStore, 'loadMedia'>, sessionId: string): (mediaId: string) => Promise<Record<string, unknown> | undefined> {
  return async (mediaId) => {
    try {
      const loaded = await store.loadMedia(sessionId, mediaId);
      if (loaded === null || 'noContent' in loaded) return undefined;
      const parsed = parseDocumentFieldsJson(loaded.bytes);
      return typeof parsed === 'string' ? undefined : parsed;
    } catch (err) {
      if (isAppError(err)) return undefined;
      throw err;
    }
  };
}
