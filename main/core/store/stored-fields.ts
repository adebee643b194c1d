import { isAppError } from '../../../common/errors';
import { scanJson } from '../../../common/session/json-guard';
import type { SessionStore } from './session-store';

const MAX_FIELDS_BYTES = 1024 * 1024;
const MAX_FIELDS_DEPTH = 32;

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

/**
 * Parses stored document fields JSON with limits (size, UTF-8, nesting depth): the object, or why
 * it cannot be used, in words that follow "The document fields of Document 1 …".
 */
export function parseDocumentFieldsJson(bytes: Buffer): Record<string, unknown> | string {
  if (bytes.length > MAX_FIELDS_BYTES) return 'are larger than expected';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return 'are not UTF-8 text';
  }
  const scan = scanJson(text, MAX_FIELDS_DEPTH);
  if (!scan.ok) return scan.kind === 'depth' ? 'are nested too deeply' : 'are not valid JSON';
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'are not a JSON object';
  return value as Record<string, unknown>;
}
