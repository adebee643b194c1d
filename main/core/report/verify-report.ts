import type { AuditEntry } from '../audit/audit-log';
import type { OfflineStore } from '../store/offline-store';
import { commitment, MANIFEST_COMMITMENT_LABEL } from './redaction';

/**
 * `idv-review verify-report`: ties an exported PDF (by its SHA-256) or a printed one (by the report id
 * on page 1) to its `report.exported` audit entry, and says whether what it printed still stands: the
 * record version it printed is still the latest, and the evidence it names is still stored as it was
 * (or was deleted by a recorded deletion). Reads only.
 */
export interface ReportCheck {
  /** The export's audit entry, in words; null when no export matches. */
  export: {
    reportId: string;
    sessionId: string;
    exportedAt: string;
    by: string;
    seq: number;
    sha256: string;
    redact: string;
    draft: boolean;
    decision: string | null;
    decidedBy: string | null;
    decidedAt: string | null;
    versionId: string | null;
    manifestHash: string | null;
  } | null;
  /** What holds, in words. */
  facts: string[];
  /** What no longer matches, in words; empty when the paper still stands. */
  problems: string[];
}

export type ReportKey = { sha256: string } | { reportId: string };

export async function checkReport(store: OfflineStore, key: ReportKey): Promise<ReportCheck> {
  // A log rolled back or replaced cannot vouch for anything: refused in words (AUDIT_ROLLED_BACK).
  await store.assertTrusted();
  const entries = await store.audit.entries();
  const matches = entries.filter((e) => e.type === 'report.exported' && ('sha256' in key ? e.data.sha256 === key.sha256 : e.data.reportId === key.reportId));
  const entry = matches.at(-1);
  if (entry === undefined || entry.sessionId === null) {
    const what = 'sha256' in key ? `has SHA-256 ${key.sha256}` : `has report ID ${key.reportId}`;
    return {
      export: null,
      facts: [],
      problems: [
        `No export recorded in this store's audit log ${what}: ` +
          ('sha256' in key ? 'the file was changed after it was exported, or it was not exported from this store.' : 'it was not exported from this store.'),
      ],
    };
  }
  const found = exportOf(entry, entry.sessionId);
  const facts: string[] = [
    `Exported ${entry.at} by ${found.by} (audit entry #${entry.seq}): report ${found.reportId}, session ${found.sessionId}, ` +
      `${found.draft ? 'a DRAFT (no confirmed decision)' : `decision ${found.decision ?? 'not recorded'}${found.decidedBy === null ? '' : ` by ${found.decidedBy}`}${found.decidedAt === null ? '' : ` at ${found.decidedAt}`}`}` +
      `${found.versionId === null ? '' : ` (record version ${found.versionId})`}, ${found.redact === 'none' ? 'not redacted' : `redacted (${found.redact})`}.`,
  ];
  if ('reportId' in key) facts.push(`Found by its report ID: the file itself was not checked. Its SHA-256 was ${found.sha256}.`);
  const problems: string[] = [];
  const sid = found.sessionId;
  const later = entries.filter((e) => e.sessionId === sid && e.seq > entry.seq);

  const recordGone = later.find((e) => e.type === 'record.deleted' || e.type === 'record.purged');
  if (recordGone !== undefined) problems.push(`The review record was deleted since (${recordGone.type}, ${recordGone.at}, audit entry #${recordGone.seq}).`);
  else if (found.versionId !== null) {
    const record = await store.reviews.get(sid);
    const latest = record.current;
    if (record.status === 'DAMAGED') problems.push(`The review record does not read whole now: ${record.problems[0] ?? 'damaged'}. Run idv-review audit verify.`);
    else if (latest === null || latest.versionId !== found.versionId) {
      problems.push(
        `The record changed since: the version printed (${found.versionId}) is no longer the latest; the latest is ${latest === null ? 'none' : `${latest.versionId} (${latest.status}${latest.decision ? `, ${latest.decision}` : ''}, saved ${latest.savedAt})`}.`,
      );
    } else facts.push('The record version it printed is still the latest.');
  }

  if (found.manifestHash !== null) {
    const deleted = await store.deletedEvidence(sid);
    const changed = await store.sessionIntegrity(sid);
    if (changed.length > 0) problems.push(`Files of the session were changed outside the app: ${changed[0]}.`);
    if (deleted !== null && deleted.deletion.seq > entry.seq) {
      facts.push(`The evidence was deleted since, as recorded (audit entry #${deleted.deletion.seq}, ${deleted.deletion.at}); the record stands on the manifest it printed.`);
    } else if (deleted === null) {
      const now = await store.evidenceManifest(sid);
      if (now.manifest?.manifestHash === found.manifestHash) facts.push('The evidence stored now is exactly what it printed (same manifest).');
      else problems.push(`The evidence stored now differs from what it printed: manifest ${now.manifest?.manifestHash ?? 'none readable'} now, ${found.manifestHash} then.`);
    }
    const key = typeof entry.data.commitmentKey === 'string' ? Buffer.from(entry.data.commitmentKey, 'hex') : null;
    if (key !== null && key.length === 32) {
      facts.push(`Redacted: its evidence manifest commitment, as printed, is ${commitment(key, MANIFEST_COMMITMENT_LABEL, found.manifestHash)}.`);
    }
  }
  return { export: found, facts, problems };
}

function exportOf(e: AuditEntry, sessionId: string): NonNullable<ReportCheck['export']> {
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
  return {
    reportId: text(e.data.reportId) ?? 'not recorded',
    sessionId,
    exportedAt: e.at,
    by: e.who.name ? `${e.who.name} (${e.who.osAccount})` : e.who.osAccount,
    seq: e.seq,
    sha256: text(e.data.sha256) ?? 'not recorded',
    redact: text(e.data.redact) ?? 'none',
    draft: e.data.draft === true,
    decision: text(e.data.decision),
    decidedBy: text(e.data.decidedBy),
    decidedAt: text(e.data.decidedAt),
    versionId: text(e.data.versionId),
    manifestHash: text(e.data.manifestHash),
  };
}
