import { UsageError } from './errors';

/**
 * Yoti ids (SDK, session, media) are UUIDs in practice. We accept letters, digits and inner hyphens,
 * up to 64 characters: that refuses path traversal, `?`, `#`, `%`-encoding, slashes, whitespace and
 * unicode before any URL is built, because the signature covers the raw path.
 */
const YOTI_ID = /^[0-9A-Za-z](?:[0-9A-Za-z-]{0,62}[0-9A-Za-z])?$/;

export type IdKind = 'SDK ID' | 'session ID' | 'media ID';

export function isYotiId(value: unknown): value is string {
  return typeof value === 'string' && YOTI_ID.test(value);
}

export function assertYotiId(value: unknown, kind: IdKind): string {
  if (isYotiId(value)) return value;
  const shown = typeof value === 'string' ? describe(value) : typeof value;
  throw new UsageError(
    'INVALID_ID',
    `Refused ${kind} ${shown}: a Yoti id has only letters, digits and hyphens (at most 64 characters). Nothing was sent.`,
  );
}

/** Shows a hostile id safely: short, printable, never the whole of a long string. */
function describe(value: string): string {
  if (value.length === 0) return '(empty)';
  const printable = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value.length > 64 ? `${printable} (${value.length} characters)` : printable;
}
