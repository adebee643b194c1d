import type { VerifiedEvidence } from '../audit/verify';
import type { OfflineStore } from '../store/offline-store';

/** Why the evidence stored now cannot stand behind the record, with both manifests. */
export interface EvidenceChange {
  /** The manifest the confirmed decision was made on (absent for a draft). */
  decidedOn?: string;
  /** The manifest of what is stored now (null when the session file does not read). */
  storedNow: string | null;
  /** In words, first the most serious. */
  problems: string[];
}

/** The problems in one sentence's worth of clauses (each without its own full stop). */
export function changeWords(change: EvidenceChange): string {
  return change.problems.map((p) => p.replace(/\.$/, '')).join('; ');
}

/**
 * Checks a session before its record is exported: every file decrypts and matches what the audit log
 * records for it (evidence not damaged, replayed or put in place outside the app; no review version
 * removed, replaced or added), and a confirmed decision's manifest is the one stored now. `change` is
 * null when all hold; `storedNow` is the manifest of what is stored now. `verified`: what the export
 * itself decrypted and checked (not decrypted again).
 */
export async function checkEvidenceForExport(
  store: OfflineStore,
  sessionId: string,
  decidedOn: string | null | undefined,
  verified?: VerifiedEvidence,
): Promise<{ change: EvidenceChange | null; storedNow: string | null }> {
  const problems = await store.sessionIntegrity(sessionId, verified);
  const storedNow = (await store.evidenceManifest(sessionId, verified)).manifest?.manifestHash ?? null;
  if (decidedOn !== null && decidedOn !== undefined && storedNow !== decidedOn) {
    problems.push('the evidence stored now is not the evidence the confirmed decision was made on');
  }
  if (problems.length === 0) return { change: null, storedNow };
  return { change: { ...(decidedOn === null || decidedOn === undefined ? {} : { decidedOn }), storedNow, problems }, storedNow };
}
