import type { DecisionRequest } from '../review/review-store';
import type { ReviewVersion } from '../review/record';
import type { OfflineStore } from '../store/offline-store';
import type { FlushOutcome, TeamService } from './team-service';

/**
 * Confirms a decision, in team mode through the team database: the one way the app and the CLI
 * decide. The team is asked first, so its refusal (another reviewer decided) records nothing; the
 * confirmed version is then queued and everything waiting is sent (offline: it stays queued).
 */
export async function confirmDecision(
  store: OfflineStore,
  team: TeamService | null,
  sessionId: string,
  request: DecisionRequest,
): Promise<{ version: ReviewVersion; sent: FlushOutcome | null }> {
  if (team === null) return { version: await store.reviews.confirmDecision(sessionId, request), sent: null };
  const base = await team.decisionBase(sessionId, request.overrides?.changeReason);
  await team.expect(sessionId, base);
  let version: ReviewVersion;
  try {
    version = await store.reviews.confirmDecision(sessionId, base.over === null ? request : { ...request, decidedOver: base.over });
  } catch (err) {
    await team.forget(sessionId);
    throw err;
  }
  await team.enqueue(version, base);
  return { version, sent: await sendOutbox(store, team) };
}

/** Sends what waits in the outbox, each submission recorded in the local audit log. */
export async function sendOutbox(store: OfflineStore, team: TeamService): Promise<FlushOutcome> {
  const outcome = await team.flush({
    read: (sessionId, seq) => store.reviews.readVersion(sessionId, seq),
    decided: async (sessionId) => (await store.reviews.get(sessionId)).decided,
  });
  for (const s of outcome.submitted) {
    await store.recordAudit('team.submitted', s.item.sessionId, { versionId: s.item.versionId, written: s.written, conflictsWith: s.conflictsWith });
  }
  return outcome;
}
