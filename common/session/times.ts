import { listAttempts } from './attempts';
import type { Session } from './schema';

/**
 * When a session began and finished, as far as Yoti's response tells. The session response carries
 * no creation or completion time of its own, so both are derived, and every surface says so:
 * - `created`: the earliest time Yoti gives for anything in the session (a resource, a task, a check,
 *   a media item);
 * - `completed`: once the session is COMPLETED, the latest update of any check or task (Yoti's last
 *   work on it).
 * Times are compared as instants; one that does not parse is left out. Pure.
 */
export interface SessionTimes {
  created?: string;
  completed?: string;
}

/** "created X, last updated Y" (the update only when it differs), times formatted by the surface. */
export function atYotiWords(created: string, lastUpdated: string | undefined, format: (iso: string) => string): string {
  return `created ${format(created)}${lastUpdated !== undefined && lastUpdated !== created ? `, last updated ${format(lastUpdated)}` : ''}`;
}

const CREATED_KEYS = new Set(['created', 'created_at']);

export function sessionTimes(session: Session): SessionTimes {
  const created = earliest(collect(session.resources, CREATED_KEYS).concat(collect(session.checks, CREATED_KEYS)));
  if (session.state !== 'COMPLETED') return created === undefined ? {} : { created };
  const work = [...(session.checks ?? []), ...listAttempts(session).flatMap((a) => a.resource.tasks ?? [])];
  const completed = latest(work.flatMap((w) => (w.last_updated === undefined ? [] : [w.last_updated])));
  return { ...(created === undefined ? {} : { created }), ...(completed === undefined ? {} : { completed }) };
}

/** Every string under one of `keys`, at any depth. */
function collect(value: unknown, keys: ReadonlySet<string>, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) collect(v, keys, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (keys.has(k) && typeof v === 'string') out.push(v);
      else collect(v, keys, out);
    }
  }
  return out;
}

const instant = (s: string): number => Date.parse(s);

function earliest(times: string[]): string | undefined {
  return pickBy(times, (a, b) => a < b);
}

function latest(times: string[]): string | undefined {
  return pickBy(times, (a, b) => a > b);
}

function pickBy(times: string[], better: (a: number, b: number) => boolean): string | undefined {
  let best: { text: string; at: number } | undefined;
  for (const text of times) {
    const at = instant(text);
    if (Number.isNaN(at)) continue;
    if (best === undefined || better(at, best.at)) best = { text, at };
  }
  return best?.text;
}
