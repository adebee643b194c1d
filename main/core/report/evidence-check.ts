import type { OfflineStore } from '../review/offline-store';

/** Why the evidence stored now cannot stand behind the record, with both manifests. */
export interface EvidenceChange {
  /** The manifest the confirmed decision was made on (absent for a draft). */
  decidedOn?: string;
  /** The manifest of what is stored now (null when the session file does not read). */
  storedNow: string | null;
  /** In words, first the most serious. */
  problems: string[];
}

/**
 * Checks the stored evidence of a session before a record is exported: every file decrypts and
 * verifies, what is stored is what the audit log last recorded (not replayed or put in place outside
 * the app), and a confirmed decision's manifest is the one stored now. Null when all hold.
 */
export async function checkEvidenceForExport(store: OfflineStore, sessionId: string, decidedOn: string | null | undefined): Promise<EvidenceChange | null> {
  const report = await store.evidenceManifest(sessionId);
  const storedNow = report.manifest?.manifestHash ?? null;
  const problems = [...report.problems];
  if (report.manifest !== null && report.problems.length === 0 && !report.intact) {
    problems.push(
      report.recorded === null
        ? 'the evidence stored is not recorded in the audit log: it was put in place outside the app'
        : `the evidence stored differs from what the audit log records (entry #${report.recorded.seq}): it was changed outside the app`,
    );
  }
  if (decidedOn !== null && decidedOn !== undefined && storedNow !== decidedOn) {
    problems.push('the evidence stored now is not the evidence the confirmed decision was made on');
  }
  if (problems.length === 0) return null;
  return { ...(decidedOn === null || decidedOn === undefined ? {} : { decidedOn }), storedNow, problems };
}
