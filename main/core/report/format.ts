import { UsageError } from '../../../common/errors';

/**
 * Pure formatting for the review record: timestamps in UTC and local time, calendar dates, ages,
 * days to expiry, sizes, durations and where a session came from. No I/O; the only ambient input
 * is the ICU time-zone database behind Intl.
 */

const DAY_MS = 86_400_000;

export interface CalendarDate {
  y: number;
  m: number;
  d: number;
}

/** Throws UsageError INVALID_TIME_ZONE unless Intl knows the zone. */
export function assertTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone }).format(0);
  } catch {
    throw new UsageError('INVALID_TIME_ZONE', `Unknown time zone ${JSON.stringify(timeZone)}: use an IANA name such as Europe/London.`);
  }
  return timeZone;
}

/** A timestamp from an ISO string (or a Date); undefined when absent or not a time. */
export function toDate(value: string | Date | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2026-03-01 12:00:00 UTC` */
export function formatUtc(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`
  );
}

interface ZonedParts {
  date: CalendarDate;
  time: string;
  offset: string;
}

function zoned(date: Date, timeZone: string): ZonedParts {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'shortOffset',
  }).formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return {
    date: { y: Number(get('year')), m: Number(get('month')), d: Number(get('day')) },
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
    offset: get('timeZoneName') || 'GMT',
  };
}

/** The calendar date of an instant in a zone. */
export function calendarDateIn(date: Date, timeZone: string): CalendarDate {
  return zoned(date, timeZone).date;
}

export function formatCalendarDate(c: CalendarDate): string {
  return `${pad(c.y, 4)}-${pad(c.m)}-${pad(c.d)}`;
}

/** `2026-03-01 13:00:00 GMT+1 (Europe/Berlin)` */
export function formatLocal(date: Date, timeZone: string): string {
  const z = zoned(date, timeZone);
  return `${formatCalendarDate(z.date)} ${z.time} ${z.offset} (${timeZone})`;
}

/** `2026-03-01 12:00:00 UTC (local 2026-03-01 13:00:00 GMT+1)`; the raw value when it is not a time; `fallback` when absent. */
export function formatInstant(value: string | undefined, timeZone: string, fallback = 'Not recorded'): string {
  if (value === undefined || value === '') return fallback;
  const d = toDate(value);
  if (d === undefined) return value;
  const z = zoned(d, timeZone);
  return `${formatUtc(d)} (local ${formatCalendarDate(z.date)} ${z.time} ${z.offset})`;
}

/** A calendar date `YYYY-MM-DD` (a longer ISO timestamp is cut to its date); undefined when not a real date. */
export function parseCalendarDate(value: string | undefined): CalendarDate | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(value.trim());
  if (!m) return undefined;
  const c = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const dt = new Date(Date.UTC(c.y, c.m - 1, c.d));
  if (dt.getUTCFullYear() !== c.y || dt.getUTCMonth() !== c.m - 1 || dt.getUTCDate() !== c.d) return undefined;
  return c;
}

/**
 * Whole years between a birth date and a day. Someone born on 29 February becomes a year older on
 * 1 March in years without one (the day after 28 February).
 */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  let age = on.y - birth.y;
  if (on.m < birth.m || (on.m === birth.m && on.d < birth.d)) age -= 1;
  return age;
}

/** `to - from` in whole days. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.UTC(to.y, to.m - 1, to.d) - Date.UTC(from.y, from.m - 1, from.d)) / DAY_MS);
}

const int = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
export const formatInt = (n: number): string => int.format(n);
const plural = (n: number, one: string, many: string): string => `${formatInt(n)} ${Math.abs(n) === 1 ? one : many}`;

/** A document is valid through its expiry day. */
export function expiryWords(expiry: CalendarDate, on: CalendarDate): { text: string; expired: boolean } {
  const days = daysBetween(on, expiry);
  if (days > 0) return { text: `valid for ${plural(days, 'more day', 'more days')} (as of ${formatCalendarDate(on)})`, expired: false };
  if (days === 0) return { text: `expires on ${formatCalendarDate(on)}, the day of review (valid through that day)`, expired: false };
  return { text: `EXPIRED ${plural(-days, 'day', 'days')} before ${formatCalendarDate(on)}`, expired: true };
}

/** `812.3 KiB (831,770 bytes)` */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  if (bytes < 1024) return plural(bytes, 'byte', 'bytes');
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toFixed(1)} ${units[u] ?? 'GiB'} (${formatInt(bytes)} bytes)`;
}

/** `1 h 04 min 12 s`, `4 min 05 s`, `12 s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h} h ${pad(m)} min ${pad(r)} s`;
  if (m > 0) return `${m} min ${pad(r)} s`;
  return `${r} s`;
}

const PRODUCTION = 'https://api.yoti.com/idverify/v1';
const SANDBOX = 'https://api.yoti.com/sandbox/idverify/v1';

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** Where a session came from, in words: "Yoti production", "Yoti sandbox", "local demo server" or a custom endpoint. */
export function environmentWords(apiUrl: string): string {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return 'unrecognised endpoint (not a URL)';
  }
  const normal = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  if (normal === PRODUCTION) return 'Yoti production';
  if (normal === SANDBOX) return 'Yoti sandbox';
  if (isLoopback(url.hostname)) return 'local demo server';
  return 'custom endpoint (not Yoti production)';
}
