import { describe, expect, test } from 'vitest';
import { ARGS, CHANNELS, type Args, type Channel, type Result } from '../../../common/ipc/contract';
import { createHandlers } from '../../../main/ipc/handlers';
import type { Services } from '../../../main/ipc/ports';

/*
 * The whole contract under hostile arguments: every channel, called with wrong types at every field,
 * extra and prototype keys, oversized strings and arrays, and non-objects. Each must be refused by
 * the schema (INVALID_ARGUMENTS) before its handler touches a single service.
 */
const SID = 'de3c0a11-5e55-4a0d-8e11-000000000001';
const MID = 'a1b2c3d4-0000-4000-8000-000000000009';
const decision: Args<'confirmDecision'> = {
  sessionId: SID,
  decision: 'REJECT',
  reasonCodes: ['FACE_MISMATCH'],
  notes: 'n',
  checkVerdicts: [{ checkId: 'c1', verdict: 'OVERRIDE', note: 'x' }],
  supersede: true,
  overrides: { beforeComplete: 'b', acknowledgeContradictions: true, acknowledgeUnviewed: true, changeReason: 'c' },
  activeMs: 1000,
};

/** Valid arguments with every optional field present, so every field gets mutated. */
const VALID: { [C in Channel]: Args<C> } = {
  getAppState: {},
  updateSettings: { apiUrl: 'https://api.yoti.com/idverify/v1', reviewerName: 'R', reviewerRole: 'S', workstation: 'W', retentionDays: 30, recordRetentionDays: 1826, faceMatchThreshold: 0.7, sdkId: MID, extraCaFile: null },
  importKeyWithDialog: { sdkId: MID },
  removeKey: { sdkId: MID },
  chooseCaFileWithDialog: {},
  startDemo: {},
  stopDemo: {},
  listSessions: {},
  addSessions: { text: SID },
  importSessionsCsvWithDialog: {},
  fetchSession: { sessionId: SID, force: true },
  removeSessionLocally: { sessionId: SID },
  openSession: { sessionId: SID, readAhead: true },
  markSessionOpened: { sessionId: SID },
  openRecord: { sessionId: SID },
  getSessionJson: { sessionId: SID, reveal: true },
  deleteRecord: { sessionId: SID },
  saveMediaWithDialog: { sessionId: SID, mediaId: MID },
  recordEvidenceViewed: { sessionId: SID, mediaId: MID, tools: { zoom: true, rotate: false, filters: true, compare: false } },
  listReasonCodes: {},
  saveReviewDraft: { sessionId: SID, decision: 'APPROVE', notes: '', reasonCodes: ['X'], checkVerdicts: [{ checkId: 'c1', verdict: 'AGREE', note: '' }] },
  checkDecision: decision,
  confirmDecision: decision,
  deleteAtYoti: { sessionId: SID, mediaId: MID },
  exportReportWithDialog: { sessionId: SID, redact: false },
  verifyAudit: {},
  getTeamView: {},
  joinTeam: { url: 'postgres://alice@db.example.com/idv_team', password: 'p' },
  claimNextTeamSession: {},
  countersignTeamDecision: { sessionId: SID },
};

const HUGE = 'a'.repeat(2_000_001);

/** A copy of `root` with the value at `path` replaced. */
function withAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(root) ? [...root] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head as string] = withAt(copy[head as string], rest, value);
  return copy;
}

/** Every path to a value inside `v` (objects and arrays walked), with the value. */
function* paths(v: unknown, at: (string | number)[] = []): Generator<[(string | number)[], unknown]> {
  if (Array.isArray(v)) {
    yield [at, v];
    for (const [i, x] of v.entries()) yield* paths(x, [...at, i]);
  } else if (v !== null && typeof v === 'object') {
    if (at.length > 0) yield [at, v];
    for (const [k, x] of Object.entries(v)) yield* paths(x, [...at, k]);
  } else yield [at, v];
}

/** Hostile variants of one channel's valid arguments, each with a name for the failure message. */
function hostile(valid: object): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [
    ['null', null],
    ['a number', 42],
    ['a string', 'x'],
    ['an array', [valid]],
    ['an extra key', { ...valid, extra: 1 }],
    ['an own __proto__ key', JSON.parse(`{"__proto__": {"polluted": true}${Object.keys(valid).length > 0 ? `, ${JSON.stringify(valid).slice(1)}` : '}'}`)],
    ['a constructor key', { ...valid, constructor: { prototype: { polluted: true } } }],
  ];
  for (const [path, value] of paths(valid)) {
    const name = path.join('.');
    const wrong = typeof value === 'number' ? '1' : typeof value === 'boolean' ? 'true' : Array.isArray(value) ? { length: 1 } : typeof value === 'object' ? 'object' : 1;
    out.push([`${name} of the wrong type`, withAt(valid, path, wrong)]);
    out.push([`${name} as an object`, withAt(valid, path, Array.isArray(value) ? { 0: value[0] } : { toString: 'x' })]);
    if (typeof value === 'string') out.push([`${name} of 2 MB`, withAt(valid, path, HUGE)]);
    if (Array.isArray(value)) out.push([`${name} with 100,000 items`, withAt(valid, path, Array.from({ length: 100_000 }, (): unknown => (value as unknown[])[0]))]);
    if (typeof value === 'number') out.push([`${name} not finite`, withAt(valid, path, Number.NaN)]);
  }
  return out;
}

/** Services that record every property a handler reads: a refused call must read none. */
function watchedServices(touched: string[]): Services {
  const watch = (name: string): unknown =>
    new Proxy(function service() {}, {
      get: (_t, key) => {
        touched.push(`${name}.${String(key)}`);
        return watch(`${name}.${String(key)}`);
      },
      apply: () => {
        touched.push(`${name}()`);
        return watch(`${name}()`);
      },
    });
  return watch('services') as Services;
}

describe('IPC fuzz over the whole contract', () => {
  const touched: string[] = [];
  const handlers = createHandlers(watchedServices(touched));

  test('the valid arguments used as seeds pass their schema (so each variant differs by one fault)', () => {
    for (const channel of CHANNELS) expect(ARGS[channel].safeParse(VALID[channel]).success, channel).toBe(true);
  });

  for (const channel of CHANNELS) {
    test(`${channel}: every hostile variant is INVALID_ARGUMENTS, and no service is touched`, async () => {
      const variants = hostile(VALID[channel]);
      expect(variants.length).toBeGreaterThanOrEqual(7);
      for (const [name, args] of variants) {
        touched.length = 0;
        const handler = handlers[channel] as (a: unknown, ctx: { senderId: number }) => Promise<Result<unknown>>;
        const result = await handler(args, { senderId: 1 });
        expect(result.ok, `${channel} with ${name}`).toBe(false);
        if (!result.ok) expect(result.error, `${channel} with ${name}`).toMatchObject({ code: 'INVALID_ARGUMENTS', kind: 'usage' });
        expect(touched, `${channel} with ${name}`).toEqual([]);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
