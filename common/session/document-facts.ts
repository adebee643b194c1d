/**
 * Facts computed locally from a document's fields: age today, age at issue, days to expiry. Pure;
 * the app shows them and main's decision guardrails check reasons against them (an "expired" reason
 * on a document in date, "underage" on an adult).
 */

const DAY = 86_400_000;

/** 'YYYY-MM-DD' → UTC midnight, or undefined when it is not a calendar date. */
export function parseIsoDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const dt = new Date(t);
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d ? t : undefined;
}

/** Today's local calendar date as UTC midnight (dates on documents have no time zone). */
export function todayUtc(now: Date = new Date()): number {
  return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
}

/** Whole years from `from` to `at` (someone born on 29 February turns a year older on 1 March in other years). */
export function wholeYears(from: number, at: number): number {
  const a = new Date(from);
  const b = new Date(at);
  let years = b.getUTCFullYear() - a.getUTCFullYear();
  const before = b.getUTCMonth() < a.getUTCMonth() || (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() < a.getUTCDate());
  if (before) years -= 1;
  return years;
}

export interface DocumentFacts {
  ageToday?: number;
  ageAtIssue?: number;
  /** Days from today to the expiry date (0 = expires today, still valid through that day; negative = expired). */
  daysToExpiry?: number;
  expiryText?: string;
}

export function documentFacts(fields: Record<string, unknown>, today: number = todayUtc()): DocumentFacts {
  const dob = parseIsoDate(fields.date_of_birth);
  const issued = parseIsoDate(fields.date_of_issue);
  const expiry = parseIsoDate(fields.expiration_date);
  const out: DocumentFacts = {};
  if (dob !== undefined) out.ageToday = wholeYears(dob, today);
  if (dob !== undefined && issued !== undefined) out.ageAtIssue = wholeYears(dob, issued);
  if (expiry !== undefined) {
    const days = Math.round((expiry - today) / DAY);
    out.daysToExpiry = days;
    out.expiryText =
      days > 0
        ? `In date: expires in ${days} day${days === 1 ? '' : 's'}`
        : days === 0
          ? 'In date: expires today (valid through the end of the day)'
          : `Expired ${-days} day${days === -1 ? '' : 's'} ago`;
  }
  return out;
}
