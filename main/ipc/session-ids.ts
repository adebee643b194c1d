import { isYotiId } from '../../common/yoti-ids';

/** Yoti session ids are UUIDs. A stricter test than isYotiId, so that words pasted along with ids are not queued. */
const SESSION_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSessionId(value: string): boolean {
  return isYotiId(value) && SESSION_UUID.test(value);
}

/**
 * Session ids from what a reviewer pastes or imports. Pasted text: ids separated by whitespace,
 * commas or semicolons (quotes around an id are dropped). CSV: the column whose header names the
 * session id ("session_id", "Session ID", "sessionId", "id"), else the first column. Each value must
 * be a session id (a UUID, which is also a valid Yoti id); invalid ones are reported with a reason and
 * a short, printable copy of the value, never added.
 */
export interface ParsedIds {
  /** Valid ids in order of first appearance, without repeats. */
  ids: string[];
  /** Valid ids that appeared more than once in the input (each listed once). */
  repeated: string[];
  invalid: Array<{ value: string; reason: string }>;
}

/** Bounds the answer: a pasted spreadsheet of garbage must not become a huge IPC payload. */
export const MAX_IDS = 10_000;
export const MAX_INVALID_REPORTED = 200;

const INVALID_REASON = 'not a Yoti session id (expected a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)';

export function parseSessionIdText(text: string): ParsedIds {
  const tokens = text
    .replace(/^\uFEFF/, '')
    .split(/[\s,;]+/)
    .map((t) => stripQuotes(t))
    .filter((t) => t !== '');
  return collect(tokens);
}

export function parseSessionIdCsv(text: string): ParsedIds {
  const rows = parseCsv(text.replace(/^\uFEFF/, '')).filter((r) => r.some((c) => c.trim() !== ''));
  const first = rows[0];
  if (first === undefined) return collect([]);
  const header = first.map((c) => c.trim().toLowerCase().replace(/[\s_-]+/g, ''));
  let column = header.findIndex((h) => h === 'sessionid' || h === 'session');
  if (column < 0) column = header.findIndex((h) => h === 'id');
  const hasHeader = column >= 0 || !isSessionId((first[0] ?? '').trim());
  if (column < 0) column = 0;
  const values = (hasHeader ? rows.slice(1) : rows).map((r) => (r[column] ?? '').trim()).filter((v) => v !== '');
  return collect(values);
}

function collect(values: string[]): ParsedIds {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  const ids: string[] = [];
  const invalid: ParsedIds['invalid'] = [];
  let invalidCount = 0;
  for (const value of values) {
    if (!isSessionId(value)) {
      invalidCount += 1;
      if (invalid.length < MAX_INVALID_REPORTED) invalid.push({ value: shown(value), reason: INVALID_REASON });
      continue;
    }
    if (seen.has(value)) {
      repeated.add(value);
      continue;
    }
    if (ids.length >= MAX_IDS) {
      invalidCount += 1;
      if (invalid.length < MAX_INVALID_REPORTED) invalid.push({ value, reason: `more than ${MAX_IDS} ids at once; add the rest separately` });
      continue;
    }
    seen.add(value);
    ids.push(value);
  }
  if (invalidCount > invalid.length) {
    invalid.push({ value: '…', reason: `${invalidCount - invalid.length} more values were not valid ids and are not listed` });
  }
  return { ids, repeated: [...repeated], invalid };
}

function stripQuotes(token: string): string {
  return token.replace(/^["'`]+|["'`]+$/g, '');
}

/** Short and printable: control characters replaced, at most 40 characters. */
function shown(value: string): string {
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return printable.length > 40 ? `${printable.slice(0, 40)}…` : printable;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF); also accepts ';' and tab as separators. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const separator = [',', ';', '\t'].reduce((best, s) => (count(firstLine, s) > count(firstLine, best) ? s : best), ',');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
