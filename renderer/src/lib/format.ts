/** Small formatting helpers (dates, sizes, durations) in the reviewer's words. */
import { formatBytes } from '../../../common/format-bytes';

const pad = (n: number): string => String(n).padStart(2, '0');

/** "12:03" in local time. */
export function clockTime(iso: string | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2025-11-26 12:03" in local time. */
export function dateTime(iso: string | undefined): string {
  if (iso === undefined) return 'Not given';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2025-11-26 12:03:07" in local time: for the review record, where seconds matter. */
export function dateTimeSeconds(iso: string | undefined): string {
  if (iso === undefined) return 'Not given';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${dateTime(iso)}:${pad(d.getSeconds())}`;
}

export function bytes(n: number | undefined): string {
  return n === undefined ? 'unknown size' : formatBytes(n);
}

/** "2 h 05 min", "45 s", for a remaining time. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${pad(m % 60)} min`;
  return `${Math.floor(h / 24)} days`;
}

/** "45 s", "12 min 05 s", "1 h 07 min": a time spent, to the second while it is short. */
export function elapsed(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${pad(s % 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${pad(m % 60)} min`;
}

/** Seconds left on a token that had `ttl` seconds at `fetchedAt`. */
export function remainingSeconds(ttl: number | undefined, fetchedAt: string | undefined, now: number): number | undefined {
  if (ttl === undefined) return undefined;
  const at = fetchedAt === undefined ? Number.NaN : Date.parse(fetchedAt);
  if (Number.isNaN(at)) return ttl;
  return Math.max(0, ttl - (now - at) / 1000);
}

/** "de3c0a11…0001" for a narrow column; the full id goes in the accessible name. */
export function shortId(id: string): string {
  return id.length <= 16 ? id : `${id.slice(0, 8)}…${id.slice(-4)}`;
}
