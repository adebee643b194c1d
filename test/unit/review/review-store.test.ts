import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import { isDamaged } from '../../../main/core/store/session-store';
import { fetchInto, openStore, storeTestHooks, TestClock, variantSessions, type Demo } from './support';

const A = DEMO_SESSION_IDS.approvedPassport;
const ONGOING = DEMO_SESSION_IDS.ongoing;
let demo: Demo;
let dir: string;
let keys: StoreKeys;
let clock: TestClock;
let store: OfflineStore;

storeTestHooks('idv-review-', async (env) => {
  ({ demo, dir, keys } = env);
  clock = new TestClock();
  store = await openStore(dir, keys, { now: clock.now });
  await fetchInto(store, demo, A, { now: clock.now });
});

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? 'no code');

describe('review records', () => {
  test('every save is a new version; an unchanged save adds none; versions link to the previous one', async () => {
    const v1 = await store.reviews.saveDraft(A, { notes: 'looks fine' });
    const v2 = await store.reviews.saveDraft(A, { notes: 'looks fine, hologram ok', reasonCodes: [] });
    const same = await store.reviews.saveDraft(A, { notes: 'looks fine, hologram ok' });
    expect(same.versionId).toBe(v2.versionId);
    const record = await store.reviews.get(A);
    expect(record.status).toBe('DRAFT');
    expect(record.versions.map((v) => [v.seq, v.status, v.notes])).toEqual([
      [1, 'DRAFT', 'looks fine'],
      [2, 'DRAFT', 'looks fine, hologram ok'],
    ]);
    expect(v2.previousVersionId).toBe(v1.versionId);
    expect(v1.reviewer).toEqual({ name: 'R. Viewer', osAccount: 'tester' });
  });

  test('confirming: reasons required except for APPROVE; unknown codes refused with the valid ones', async () => {
    expect(await code(store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT' }))).toBe('REASON_REQUIRED');
    const err = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['MADE_UP'] }).catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'UNKNOWN_REASON', kind: 'usage' });
    expect((err as Error).message).toMatch(/Valid codes: .*SUSPECTED_FRAUD/);
    expect((await store.reviews.get(A)).versions).toHaveLength(0);
    const v = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD', 'TAMPERED'], notes: 'edges re-printed' });
    expect(v).toMatchObject({ status: 'CONFIRMED', decision: 'REJECT', notes: 'edges re-printed' });
    expect(v.reasons).toEqual([
      { code: 'SUSPECTED_FRAUD', text: 'Suspected fraud (forged, altered or stolen document, impersonation)' },
      { code: 'TAMPERED', text: 'The photo seems to be tampered with' },
    ]);
  });

  test('a confirmed decision is final: changing it needs supersede and creates a linked version; the old one stays', async () => {
    const first = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'APPROVE' });
    expect(await code(store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'] }))).toBe('DECISION_FINAL');
    expect(await code(store.reviews.saveDraft(A, { notes: 'more' }))).toBe('DECISION_FINAL');
    const second = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], supersede: true, overrides: { changeReason: 'second look' } });
    expect(second).toMatchObject({ seq: 2, supersedes: first.versionId, previousVersionId: first.versionId, decision: 'REJECT' });
    // A superseding draft names the confirmed version it will replace; its confirmation too.
    const draft = await store.reviews.saveDraft(A, { notes: 'second opinion' }, { supersede: true });
    expect(draft.supersedes).toBe(second.versionId);
    const third = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'ESCALATE', reasonCodes: ['NEEDS_SECOND_OPINION'], overrides: { changeReason: 'a second opinion' } });
    expect(third.supersedes).toBe(second.versionId);
    const record = await store.reviews.get(A);
    expect(record.versions.map((v) => `${v.seq}:${v.status}:${v.decision}`)).toEqual(['1:CONFIRMED:APPROVE', '2:CONFIRMED:REJECT', '3:DRAFT:REJECT', '4:CONFIRMED:ESCALATE']);
    expect(record.decided?.versionId).toBe(third.versionId);
    // The first decision is unchanged on disk.
    expect(record.versions[0]).toEqual(first);
  });

  test('time on task of a changed decision: from the last opening after the decision it changes, else from that decision', async () => {
    await store.reviews.markOpened(A);
    clock.advance(90_000);
    const first = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'APPROVE' });
    expect(first.timeOnTaskMs).toBe(90_000);
    // Changed in the same sitting, two minutes later: counted from the first decision.
    clock.advance(120_000);
    const second = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], supersede: true, overrides: { changeReason: 'second look' } });
    expect(second.startedAt).toBe(first.decidedAt);
    expect(second.timeOnTaskMs).toBe(120_000);
    // Reopened the next day and changed after five minutes: counted from that opening, not from the day before.
    clock.advance(24 * 3600_000);
    await store.reviews.markOpened(A);
    const reopened = clock.now().toISOString();
    clock.advance(300_000);
    const third = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'ESCALATE', reasonCodes: ['NEEDS_SECOND_OPINION'], supersede: true, overrides: { changeReason: 'second look' } });
    expect(third.startedAt).toBe(reopened);
    expect(third.timeOnTaskMs).toBe(300_000);
  });

  test('who, when first opened, when decided, time on task, evidence viewed and the manifest it was made on', async () => {
    await store.reviews.markOpened(A);
    const opened = clock.now().toISOString();
    const media = (await store.sessions.listMedia(A)).filter((m) => !isDamaged(m)).map((m) => m.mediaId!);
    clock.advance(30_000);
    await store.reviews.recordEvidenceViewed(A, { mediaId: media[0]!, tools: { zoom: true } });
    clock.advance(30_000);
    await store.reviews.recordEvidenceViewed(A, { mediaId: media[1]!, tools: { compare: true, filters: true } });
    await store.reviews.saveDraft(A, { checkVerdicts: [{ checkId: 'chk-1', verdict: 'AGREE' }] });
    clock.advance(60_000);
    const v = await store.reviews.confirmDecision(A, { via: 'cli', decision: 'APPROVE' });
    expect(v.firstOpenedAt).toBe(opened);
    expect(v.startedAt).toBe(opened);
    expect(v.decidedAt).toBe(clock.now().toISOString());
    expect(v.timeOnTaskMs).toBe(120_000);
    expect(v.manifestHash).toBe((await store.evidenceManifest(A)).manifest?.manifestHash);
    expect(v.evidenceViewed?.items.map((i) => [i.mediaId, i.tools])).toEqual(
      [
        [media[0], { zoom: true, rotate: false, filters: false, compare: false }],
        [media[1], { zoom: false, rotate: false, filters: true, compare: true }],
      ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)),
    );
    expect(v.checkVerdicts).toEqual([{ checkId: 'chk-1', verdict: 'AGREE', note: '' }]);
    // The audit log has the opening, the views, the note and the decision, without the note's text.
    const entries = await store.audit.entries({ sessionId: A });
    expect(entries.map((e) => e.type)).toEqual(['session.fetched', 'session.opened', 'media.viewed', 'media.viewed', 'review.note-saved', 'review.decision-saved']);
    expect(entries.every((e) => e.who.name === 'R. Viewer' && e.who.osAccount === 'tester')).toBe(true);
  });

  test('refused for a session that is not cached; a damaged latest version stops saving (never replaced silently)', async () => {
    expect(await code(store.reviews.saveDraft(DEMO_SESSION_IDS.nonLatin, { notes: 'x' }))).toBe('SESSION_NOT_CACHED');
    expect(await code(store.reviews.markOpened(DEMO_SESSION_IDS.nonLatin))).toBe('SESSION_NOT_CACHED');
    await store.reviews.saveDraft(A, { notes: 'one' });
    await store.reviews.saveDraft(A, { notes: 'two' });
    const file = join(dir, 'records', A, 'v-00000002.idvr');
    const bytes = await readFile(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 1;
    await writeFile(file, bytes);
    const record = await store.reviews.get(A);
    expect(record.status).toBe('DAMAGED');
    expect(record.current).toBeNull();
    expect(record.versions.map((v) => v.notes)).toEqual(['one']);
    expect(record.problems[0]).toMatch(/review version 2 of session .* is damaged/i);
    expect(await code(store.reviews.saveDraft(A, { notes: 'three' }))).toBe('REVIEW_DAMAGED');
  });

  test('the review record survives a refresh of the session', async () => {
    await fetchInto(store, demo, ONGOING);
    const v = await store.reviews.saveDraft(ONGOING, { notes: 'waiting for checks' });
    demo.server.addSession(variantSessions([ONGOING])(7)[0]!);
    const refreshed = await fetchInto(store, demo, ONGOING);
    expect(refreshed.refreshed).toBe(true);
    expect((await store.reviews.get(ONGOING)).current).toEqual(v);
    expect((await store.verify()).ok).toBe(true);
  });
});
