import { applyViewEvent, emptyEvidenceViewed, sameEvidenceViewed, type EvidenceViewed } from '../review/record';
import { viewEventOf, type ReviewStore } from '../review/review-store';
import type { RetentionRecord } from '../retention/retention';
import type { MediaMeta, SessionMeta, SessionStore } from '../store/session-store';
import type { AuditEntry, AuditLog } from './audit-log';
import { diffManifests, manifestFromJson, sha256Hex, type EvidenceManifest } from './manifest';

/**
 * `idv-review audit verify`: the audit chain and anchor (audit-log.ts), then every session against
 * what the log records: its evidence against the latest manifest (each item decrypted and hashed),
 * each review version against the SHA-256 its audit entry recorded (and each confirmed decision's
 * manifest hash against the manifests recorded for the session), the retention file and the
 * evidence-viewed record against the log. Problems are in words; the first names the first entry or
 * file that does not match.
 */

export interface VerifyReport {
  ok: boolean;
  /** Entries in the log (that verified). */
  entries: number;
  /** MAC of the anchored head entry (null when none). */
  head: string | null;
  sessionsChecked: number;
  filesChecked: number;
  firstProblem?: string;
  problems: string[];
  warnings: string[];
}

export interface VerifyDeps {
  audit: AuditLog;
  sessions: SessionStore;
  reviews: ReviewStore;
  readRetention: (sessionId: string) => Promise<RetentionRecord | null>;
  /** The manifest as stored, every item decrypted and hashed (but those in `verified`); damaged items are left out and named in problems. */
  storedManifest: (sessionId: string, verified?: VerifiedEvidence) => Promise<StoredManifest>;
  /** The log against its anchor in the OS keychain (keychain-anchor.ts). */
  anchor?: (entries: readonly AuditEntry[]) => Promise<{ problem?: string; warning?: string }>;
  /** The data folder is still in the layout before records were kept apart (store/layout.ts). */
  legacyLayout?: boolean;
}

export interface StoredManifest {
  /** null when the session file is missing or damaged. */
  manifest: EvidenceManifest | null;
  /** Damaged or unreadable items, in words. */
  problems: string[];
  /** Media ids left out of the manifest because they are damaged. */
  damagedMediaIds: string[];
  files: number;
}

/**
 * What the caller has just decrypted and checked itself in the same call (opening a session reads
 * every item anyway): the check takes their metadata as they are instead of decrypting them again.
 */
export interface VerifiedEvidence {
  session: SessionMeta;
  /** By media id. */
  media: ReadonlyMap<string, MediaMeta>;
}

interface VersionRecord {
  entrySeq: number;
  fileSha256: string;
  status: string;
}

interface SessionAudit {
  manifest: EvidenceManifest | null;
  manifestSeq: number;
  manifests: Set<string>;
  /** The evidence was deleted (the record may stay). */
  deleted: { seq: number; type: string } | null;
  versions: Map<number, VersionRecord>;
  recordDeleted: { seq: number; type: string } | null;
  firstFetchedAt: string | null;
  retentionOverride: string | null;
  retentionSeq: number;
  views: EvidenceViewed;
}

const empty = (): SessionAudit => ({
  manifest: null,
  manifestSeq: 0,
  manifests: new Set(),
  deleted: null,
  versions: new Map(),
  recordDeleted: null,
  firstFetchedAt: null,
  retentionOverride: null,
  retentionSeq: 0,
  views: emptyEvidenceViewed(),
});

const clone = (s: SessionAudit): SessionAudit => ({
  ...s,
  manifests: new Set(s.manifests),
  versions: new Map(s.versions),
  deleted: s.deleted ? { ...s.deleted } : null,
  recordDeleted: s.recordDeleted ? { ...s.recordDeleted } : null,
});

/** Folds the audit log into what each session's files should be; problems for entries that hold bad data. */
export function foldAudit(entries: readonly AuditEntry[]): { sessions: Map<string, SessionAudit>; problems: string[] } {
  const sessions = new Map<string, SessionAudit>();
  const snapshots = new Map<number, SessionAudit>();
  const problems: string[] = [];
  for (const e of entries) {
    const sid = e.sessionId;
    if (sid === null) continue;
    let st = sessions.get(sid) ?? empty();
    if (e.intent) snapshots.set(e.seq, clone(st));
    const d = e.data;
    const readManifest = (value: unknown): EvidenceManifest | null => {
      const m = manifestFromJson(sid, value);
      if (m === null) problems.push(`audit entry #${e.seq} (${e.type}) holds a manifest that does not add up`);
      return m;
    };
    switch (e.type) {
      case 'session.fetched': {
        st.deleted = null;
        const m = readManifest(d.manifest);
        st.manifest = m;
        st.manifestSeq = e.seq;
        if (m) st.manifests.add(m.manifestHash);
        if (typeof d.firstFetchedAt === 'string') st.firstFetchedAt = d.firstFetchedAt;
        break;
      }
      case 'media.deleted': {
        const m = readManifest(d.manifest);
        st.manifest = m;
        st.manifestSeq = e.seq;
        if (m) st.manifests.add(m.manifestHash);
        break;
      }
      case 'op.recovered': {
        if (d.manifest !== undefined) {
          const m = d.manifest === null ? null : readManifest(d.manifest);
          st.manifest = m;
          st.manifestSeq = e.seq;
          if (m) st.manifests.add(m.manifestHash);
        }
        break;
      }
      case 'op.aborted': {
        const ref = typeof d.ref === 'number' ? snapshots.get(d.ref) : undefined;
        if (ref) st = clone(ref);
        break;
      }
      case 'session.deleted':
      case 'session.purged': {
        const deleted = { seq: e.seq, type: e.type };
        // Since records are kept apart, the record (and the manifests its decisions name) stays.
        st = d.recordKept === true ? { ...empty(), deleted, manifests: st.manifests, versions: st.versions, views: st.views } : { ...empty(), deleted };
        break;
      }
      case 'record.deleted':
      case 'record.purged':
        st.versions = new Map();
        st.views = emptyEvidenceViewed();
        st.recordDeleted = { seq: e.seq, type: e.type };
        break;
      case 'review.note-saved':
      case 'review.decision-saved':
        st.recordDeleted = null;
        if (typeof d.seq === 'number' && typeof d.fileSha256 === 'string') {
          st.versions.set(d.seq, { entrySeq: e.seq, fileSha256: d.fileSha256, status: typeof d.status === 'string' ? d.status : '' });
        }
        break;
      case 'retention.set':
        st.retentionOverride = typeof d.retainUntil === 'string' ? d.retainUntil : null;
        if (typeof d.firstFetchedAt === 'string') st.firstFetchedAt = d.firstFetchedAt;
        st.retentionSeq = e.seq;
        break;
      case 'session.opened':
      case 'media.viewed':
        st.views = applyViewEvent(st.views, viewEventOf(e));
        break;
      default:
        break;
    }
    sessions.set(sid, st);
  }
  return { sessions, problems };
}

/** A session's evidence against the manifest the log records for it, in words. */
function checkEvidence(sid: string, st: SessionAudit, present: boolean, stored: StoredManifest): string[] {
  const hasFiles = stored.manifest !== null || stored.problems.length > 0;
  if (st.deleted) {
    return hasFiles ? [`the evidence of session ${sid} was deleted (audit entry #${st.deleted.seq}, ${st.deleted.type}) but its files are still stored`] : [];
  }
  if (st.manifest === null) return hasFiles ? [`session ${sid} is stored but no fetch of it is recorded in the audit log`] : [];
  const where = `(recorded in audit entry #${st.manifestSeq})`;
  if (!present) return [`session ${sid}: its files are missing ${where}`];
  if (stored.manifest === null) return stored.problems.length > 0 ? stored.problems : [`session ${sid}: its session file is missing ${where}`];
  // Damaged items are named as such: compare the rest.
  const skip = new Set(stored.damagedMediaIds);
  const expected = { ...st.manifest, media: st.manifest.media.filter((m) => !skip.has(m.mediaId)) };
  const diff = diffManifests(expected, stored.manifest);
  return [...stored.problems, ...(diff === null ? [] : [`session ${sid}: ${diff} ${where}`])];
}

export async function verifyStore(deps: VerifyDeps): Promise<VerifyReport> {
  const chain = await deps.audit.check({ full: true });
  // Against the keychain only a log whose chain verifies: otherwise the chain's own problem comes first.
  const anchored = chain.ok ? ((await deps.anchor?.(chain.entries)) ?? {}) : {};
  const problems = [...(anchored.problem === undefined ? [] : [anchored.problem]), ...chain.problems];
  const warnings = [...(anchored.warning === undefined ? [] : [anchored.warning]), ...chain.warnings];
  if (deps.legacyLayout === true) {
    problems.push('the data folder is in the layout from before review records were kept apart from evidence: open it with the app or run idv-review list to move it, then verify again');
  }
  for (const e of chain.unreconciled) {
    problems.push(`audit entry #${e.seq} (${e.type}) announced a change that was interrupted and is not reconciled yet: open the store to finish it`);
  }
  const folded = foldAudit(chain.entries);
  problems.push(...folded.problems);

  const withEvidence = new Set(await deps.sessions.listSessionIds());
  const withRecord = new Set(await deps.reviews.listSessionIds());
  const ids = [...new Set([...withEvidence, ...withRecord, ...folded.sessions.keys()])].sort();
  let filesChecked = 0;
  let sessionsChecked = 0;
  for (const sid of ids) {
    const checked = await checkSession(deps, sid, folded.sessions.get(sid) ?? empty(), { evidence: withEvidence.has(sid), record: withRecord.has(sid) });
    if (checked === null) continue;
    sessionsChecked += 1;
    filesChecked += checked.files;
    problems.push(...checked.problems);
  }

  const report: VerifyReport = {
    ok: problems.length === 0,
    entries: chain.entries.length,
    head: chain.anchor?.head ?? null,
    sessionsChecked,
    filesChecked,
    problems,
    warnings,
  };
  if (problems[0] !== undefined) report.firstProblem = problems[0];
  return report;
}

/**
 * One session's files against what the audit log records for it (what `show`, the app's open and
 * export check before trusting them): its evidence, review versions, retention and evidence viewed.
 * Problems in words; empty when they match. What is in `verified` is not decrypted again.
 */
export async function verifySession(deps: Omit<VerifyDeps, 'anchor' | 'legacyLayout'>, sessionId: string, verified?: VerifiedEvidence): Promise<string[]> {
  const folded = foldAudit((await deps.audit.entries()).filter((e) => e.sessionId === sessionId));
  const evidence = (await deps.sessions.listSessionIds()).includes(sessionId);
  const record = (await deps.reviews.listSessionIds()).includes(sessionId);
  const reusing = { ...deps, storedManifest: (sid: string) => deps.storedManifest(sid, verified) };
  const checked = await checkSession(reusing, sessionId, folded.sessions.get(sessionId) ?? empty(), { evidence, record });
  return [...folded.problems, ...(checked?.problems ?? [])];
}

/** A session's stored files against the folded log; null when nothing is stored or recorded. */
async function checkSession(
  deps: Omit<VerifyDeps, 'anchor' | 'legacyLayout'>,
  sid: string,
  st: SessionAudit,
  has: { evidence: boolean; record: boolean },
): Promise<{ problems: string[]; files: number } | null> {
  const stored: StoredManifest = has.evidence ? await deps.storedManifest(sid) : { manifest: null, problems: [], damagedMediaIds: [], files: 0 };
  const seqs = has.record ? await deps.reviews.versionSeqs(sid) : [];
  if (!has.evidence && st.manifest === null && seqs.length === 0 && st.versions.size === 0) return null;
  const problems = checkEvidence(sid, st, has.evidence, stored);
  const files = stored.files + seqs.length;
  if (st.recordDeleted && seqs.length > 0) {
    problems.push(`the review record of session ${sid} was deleted (audit entry #${st.recordDeleted.seq}, ${st.recordDeleted.type}) but its files are still stored`);
    return { problems, files };
  }

  // Review versions: each file against its audit entry, and each audit entry against its file.
  for (const seq of seqs) {
    const rec = st.versions.get(seq);
    const bytes = await deps.reviews.readVersionBytes(sid, seq);
    if (bytes === null) continue;
    if (!rec) {
      problems.push(`review version ${seq} of session ${sid} is not recorded in the audit log`);
      continue;
    }
    if (sha256Hex(bytes) !== rec.fileSha256) {
      problems.push(`review version ${seq} of session ${sid} does not match audit entry #${rec.entrySeq}: it was replaced or edited`);
      continue;
    }
    try {
      const v = await deps.reviews.readVersion(sid, seq);
      if (v?.status === 'CONFIRMED' && (v.manifestHash === null || !st.manifests.has(v.manifestHash))) {
        problems.push(`the decision in review version ${seq} of session ${sid} names an evidence manifest the audit log does not record`);
      }
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  const onDiskSeqs = new Set(seqs);
  for (const [seq, rec] of st.versions) {
    if (!onDiskSeqs.has(seq)) problems.push(`review version ${seq} of session ${sid} (audit entry #${rec.entrySeq}) is missing`);
  }

  // Retention and evidence viewed against the log.
  if (st.firstFetchedAt !== null) {
    try {
      const r = await deps.readRetention(sid);
      if (r === null) problems.push(`the retention record of session ${sid} is missing`);
      else if (r.firstFetchedAt !== st.firstFetchedAt || r.retainUntilOverride !== st.retentionOverride) {
        problems.push(`the retain-until of session ${sid} does not match the audit log${st.retentionSeq ? ` (entry #${st.retentionSeq})` : ''}`);
      }
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  try {
    const viewed = await deps.reviews.readViewed(sid);
    if (!sameEvidenceViewed(viewed, st.views)) problems.push(`the evidence-viewed record of session ${sid} does not match the audit log`);
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  return { problems, files };
}
