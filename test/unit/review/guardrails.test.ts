import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import type { DecisionRequest } from '../../../main/core/review/review-store';
import { checkGuardrails, decisionContextLines, type DecisionFacts } from '../../../common/review/guardrails';
import { fetchInto, openStore, storeTestHooks, TestClock, type Demo } from './support';

/**
 * The guardrails on a final decision, enforced by the review store (so the app and the CLI share
 * them): each is refused without its override, accepted with it, the override recorded in the version
 * and named in the audit entry, and nothing at all recorded on a refusal.
 */

const { approvedPassport: APPROVED, rejectedIdCard: REJECTED, ongoing: ONGOING } = DEMO_SESSION_IDS;
/** The approved passport and the rejected card are the same person: a SEEN_BEFORE warning stands on both. */
const SAME_PERSON_NOTE = 'the same person as the rejected card; this passport is genuine and in date';
let demo: Demo;
let dir: string;
let keys: StoreKeys;
let clock: TestClock;
let store: OfflineStore;

storeTestHooks('idv-guardrails-', async (env) => {
  ({ demo, dir, keys } = env);
  clock = new TestClock();
  store = await openStore(dir, keys, { now: clock.now, faceMatchThreshold: 0.8 });
  for (const sid of [APPROVED, REJECTED, ONGOING]) await fetchInto(store, demo, sid, { now: clock.now });
});

/** Refused with nothing recorded: no version, no audit entry. */
async function refused(sid: string, request: DecisionRequest, s: OfflineStore = store): Promise<string> {
  const versions = (await s.reviews.get(sid)).versions.length;
  const entries = (await s.verify()).entries;
  const err = await s.reviews.confirmDecision(sid, request).then(
    () => null,
    (e: Error & { code?: string }) => e,
  );
  expect(err, 'the decision should have been refused').not.toBeNull();
  expect(err?.code).toBe('DECISION_REFUSED');
  expect(err?.message).not.toContain('\n');
  expect((await s.reviews.get(sid)).versions).toHaveLength(versions);
  expect((await s.verify()).entries).toBe(entries);
  return err?.message ?? '';
}

async function lastAuditData(): Promise<Record<string, unknown>> {
  const entries = await store.audit.entries();
  const last = entries.filter((e) => e.type === 'review.decision-saved').at(-1);
  return last?.data ?? {};
}

describe('guardrails in the review store', () => {
  test("team mode: a decision made over another reviewer's keeps whose it replaced and why, read back from disk", async () => {
    const decidedOver = { reviewer: 'rosa_reviewer', decision: 'ESCALATE', reason: 'the second page was read in the meantime' };
    await store.reviews.confirmDecision(REJECTED, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], decidedOver });
    const kept = (await store.reviews.get(REJECTED)).decided;
    expect(kept?.context?.decidedOver).toEqual(decidedOver);
    expect(decisionContextLines(kept?.context)).toContain("Decided over rosa_reviewer's ESCALATE in the team database. Why: the second page was read in the meantime");
  });

  test('Yoti still working: refused without the reason why; with it, the reason is kept in the version', async () => {
    const message = await refused(ONGOING, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'] });
    expect(message).toMatch(/^Not recorded: Yoti has not finished this session \(Yoti is still working: 3 checks of 3 not done yet\): deciding now needs the reason why \(CLI: --before-complete "why"\)\.$/);
    const v = await store.reviews.confirmDecision(ONGOING, {
      via: 'cli',
      decision: 'REJECT',
      reasonCodes: ['SUSPECTED_FRAUD'],
      overrides: { beforeComplete: 'the customer asked for an answer today' },
    });
    expect(v.context).toMatchObject({ via: 'cli', beforeComplete: 'the customer asked for an answer today', faceMatchThreshold: 0.8 });
    expect(decisionContextLines(v.context)).toContain('Decided before Yoti had finished (Yoti is still working: 3 checks of 3 not done yet). Why: the customer asked for an answer today');
    expect(await lastAuditData()).toMatchObject({ via: 'cli', overrides: ['BEFORE_COMPLETE'], faceMatchThreshold: 0.8 });
  });

  test("approving over Yoti's REJECT needs a note; the context keeps Yoti's result and the warnings", async () => {
    const message = await refused(REJECTED, { via: 'cli', decision: 'APPROVE' });
    expect(message).toMatch(/Approving against Yoti's result \(Reject: .*\) and \d+ standing warnings needs a note saying why you override \(CLI: --note "why"\)\.$/);
    const v = await store.reviews.confirmDecision(REJECTED, { via: 'cli', decision: 'APPROVE', notes: 'the photo is of the same person, checked by phone' });
    expect(v.context?.overridesYoti).toBe(true);
    expect(v.context?.yotiResult).toBe('REJECT');
    expect(v.context?.warnings.length).toBeGreaterThan(0);
    expect(v.context?.warnings.every((w) => w.severity === 'critical' || w.severity === 'warning')).toBe(true);
  });

  test('a reason the console contradicts (expired on a document in date, underage on an adult) needs an acknowledgement', async () => {
    const message = await refused(APPROVED, { via: 'cli', decision: 'REJECT', reasonCodes: ['DOCUMENT_EXPIRED', 'UNDERAGE'] });
    expect(message).toContain('Reason DOCUMENT_EXPIRED is contradicted: Document 1 is in date by its printed expiry date');
    expect(message).toContain('Reason UNDERAGE is contradicted: the date of birth on the document makes the person 50 today (18 or over)');
    const v = await store.reviews.confirmDecision(APPROVED, {
      via: 'cli',
      decision: 'REJECT',
      reasonCodes: ['DOCUMENT_EXPIRED', 'UNDERAGE'],
      overrides: { acknowledgeContradictions: true },
    });
    expect(v.context?.contradictedReasons?.map((c) => c.code)).toEqual(['DOCUMENT_EXPIRED', 'UNDERAGE']);
  });

  test('seen before stands as a warning: approving a session of a person seen in another session needs a note', async () => {
    const message = await refused(APPROVED, { via: 'cli', decision: 'APPROVE' });
    expect(message).toBe('Not recorded: Approving against 1 standing warning needs a note saying why you override (CLI: --note "why").');
    const facts = await store.reviews.checkDecision(APPROVED, { via: 'cli', decision: 'APPROVE', notes: SAME_PERSON_NOTE });
    expect(facts).toMatchObject({ unmet: [], context: { warnings: [{ severity: 'warning', text: 'Seen before: the same person in 1 other session' }] } });
  });

  test('an expired document is not a contradiction of "expired"', async () => {
    const v = await store.reviews.confirmDecision(REJECTED, { via: 'cli', decision: 'REJECT', reasonCodes: ['DOCUMENT_EXPIRED'] });
    expect(v.context?.contradictedReasons).toBeUndefined();
  });

  test('in the app: every page and one liveness capture viewed, or an acknowledgement naming what was not', async () => {
    const media = (await store.sessions.listMedia(APPROVED)).map((m) => m.mediaId ?? '');
    const facts = (await store.reviews.checkDecision(APPROVED, { via: 'app', decision: 'APPROVE', notes: SAME_PERSON_NOTE })).unmet;
    expect(facts.map((u) => u.rule)).toEqual(['UNVIEWED_EVIDENCE']);
    expect(facts[0]?.text).toMatch(/^Not viewed yet: Document 1 page 1, .*any liveness capture \(\d+ captures\)\. View it, or acknowledge deciding without viewing it\.$/);
    // checkDecision saves nothing.
    expect((await store.reviews.get(APPROVED)).versions).toHaveLength(0);
    await refused(APPROVED, { via: 'app', decision: 'APPROVE', notes: SAME_PERSON_NOTE });
    // View every item: nothing left to acknowledge.
    for (const mediaId of media) await store.reviews.recordEvidenceViewed(APPROVED, { mediaId });
    expect((await store.reviews.checkDecision(APPROVED, { via: 'app', decision: 'APPROVE', notes: SAME_PERSON_NOTE })).unmet).toEqual([]);
    const v = await store.reviews.confirmDecision(APPROVED, { via: 'app', decision: 'APPROVE', notes: SAME_PERSON_NOTE });
    expect(v.context).toMatchObject({ via: 'app', yotiResult: 'APPROVE', overridesYoti: true });
    expect(v.context?.warnings.map((w) => w.text)).toEqual(['Seen before: the same person in 1 other session']);
    expect(v.context?.unviewed).toBeUndefined();
  });

  test('in the app, an acknowledged decision without viewing records what was not viewed', async () => {
    const v = await store.reviews.confirmDecision(APPROVED, { via: 'app', decision: 'APPROVE', notes: SAME_PERSON_NOTE, overrides: { acknowledgeUnviewed: true } });
    expect(v.context?.unviewed?.[0]).toBe('Document 1 page 1');
    expect(decisionContextLines(v.context).some((l) => l.startsWith('Decided without viewing: Document 1 page 1'))).toBe(true);
    expect(await lastAuditData()).toMatchObject({ via: 'app', overrides: ['OVERRIDE_NOTE', 'UNVIEWED_EVIDENCE'] });
  });

  test('a reviewer name is required: the settings name or the CLI --reviewer', async () => {
    const nameless = await openStore(dir, keys, { now: clock.now, reviewer: { name: null, osAccount: 'tester' } });
    const message = await refused(APPROVED, { via: 'cli', decision: 'APPROVE', notes: SAME_PERSON_NOTE }, nameless);
    expect(message).toBe('Not recorded: A final decision needs the reviewer\'s name: set "Your name" (CLI: --reviewer NAME, or the reviewer name in the settings).');
    const v = await nameless.reviews.confirmDecision(APPROVED, { via: 'cli', decision: 'APPROVE', notes: SAME_PERSON_NOTE, reviewerName: '  Grace Hopper ' });
    expect(v.reviewer).toEqual({ name: 'Grace Hopper', osAccount: 'tester' });
  });

  test('superseding a final decision needs the reason for the change, kept in the new version', async () => {
    await store.reviews.confirmDecision(APPROVED, { via: 'cli', decision: 'APPROVE', notes: SAME_PERSON_NOTE });
    const message = await refused(APPROVED, { via: 'cli', decision: 'ESCALATE', reasonCodes: ['NEEDS_SECOND_OPINION'], supersede: true });
    expect(message).toBe('Not recorded: Changing a final decision needs the reason for the change (CLI: --supersede "why").');
    const v = await store.reviews.confirmDecision(APPROVED, {
      via: 'cli',
      decision: 'ESCALATE',
      reasonCodes: ['NEEDS_SECOND_OPINION'],
      supersede: true,
      overrides: { changeReason: 'a second document turned up' },
    });
    expect(v.context?.changeReason).toBe('a second document turned up');
    expect(v.supersedes).not.toBeNull();
  });

  test('the face-match threshold in force is stored in each version; a version keeps its own', async () => {
    const first = await store.reviews.confirmDecision(APPROVED, { via: 'cli', decision: 'APPROVE', notes: SAME_PERSON_NOTE });
    const stricter = await openStore(dir, keys, { now: clock.now, faceMatchThreshold: 0.95 });
    const second = await stricter.reviews.confirmDecision(APPROVED, {
      via: 'cli',
      decision: 'ESCALATE',
      reasonCodes: ['NEEDS_SECOND_OPINION'],
      supersede: true,
      overrides: { changeReason: 'the threshold was raised' },
    });
    expect(second.context?.faceMatchThreshold).toBe(0.95);
    const record = await stricter.reviews.get(APPROVED);
    expect(record.versions.map((v) => v.context?.faceMatchThreshold)).toEqual([first.context?.faceMatchThreshold, 0.95]);
    expect(first.context?.faceMatchThreshold).toBe(0.8);
  });
});

describe('checkGuardrails (pure)', () => {
  const facts: DecisionFacts = {
    yoti: { result: 'NEEDS_ATTENTION', text: 'Needs attention' },
    yotiFinished: true,
    statusText: 'Ready for review: Yoti has finished its checks.',
    warnings: [{ severity: 'warning', text: 'Watchlist screening says Consider' }],
    documents: [
      { label: 'Document 1', daysToExpiry: 40, ageToday: 17 },
      { label: 'Document 2', daysToExpiry: -3, ageToday: 17 },
    ],
    pages: [],
    livenessCaptures: [],
    faceMatchThreshold: 0.7,
  };
  const base = { reasonCodes: [], notes: '', facts, viewedMediaIds: null, superseding: false, reviewerName: 'Ada', overrides: {} };

  test('CONSIDER is never clean: approving it needs a note', () => {
    expect(checkGuardrails({ ...base, decision: 'APPROVE' }).unmet.map((u) => u.rule)).toEqual(['OVERRIDE_NOTE']);
    expect(checkGuardrails({ ...base, decision: 'APPROVE', notes: 'the match is a namesake' }).unmet).toEqual([]);
  });

  test('one expired document among several: "expired" is not contradicted; a minor is not contradicted by "underage"', () => {
    expect(checkGuardrails({ ...base, decision: 'REJECT', reasonCodes: ['DOCUMENT_EXPIRED', 'EXPIRED_DOCUMENT', 'UNDERAGE'] }).unmet).toEqual([]);
  });

  test('every rule at once is one refusal listing each', () => {
    const out = checkGuardrails({
      ...base,
      decision: 'APPROVE',
      facts: { ...facts, yotiFinished: false, statusText: 'Yoti is still working: 1 check of 3 not done yet.', pages: [{ mediaId: 'm1', label: 'Document 1 page 1' }] },
      viewedMediaIds: new Set(),
      superseding: true,
      reviewerName: ' ',
    });
    expect(out.unmet.map((u) => u.rule)).toEqual(['REVIEWER_NAME', 'CHANGE_REASON', 'BEFORE_COMPLETE', 'OVERRIDE_NOTE', 'UNVIEWED_EVIDENCE']);
  });

  test('whitespace is not a reason', () => {
    const out = checkGuardrails({ ...base, decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], facts: { ...facts, yotiFinished: false }, overrides: { beforeComplete: '   ' } });
    expect(out.unmet.map((u) => u.rule)).toEqual(['BEFORE_COMPLETE']);
  });
});
