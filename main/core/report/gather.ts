import { randomUUID } from 'node:crypto';
import { ZERO_MAC, type AuditEntry } from '../audit/audit-log';
import { LocalError, isAppError } from '../../../common/errors';
import type { DeletedEvidence, OfflineStore } from '../store/offline-store';
import type { ReasonCatalogue } from '../review/reasons';
import type { EvidenceViewed, ReviewerIdentity, ReviewVersion } from '../review/record';
import type { ReviewRecord } from '../review/review-store';
import type { MediaRole } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import type { SessionSummary } from '../../../common/session/summary';
import { parseDocumentFieldsJson } from '../store/stored-fields';
import { storedSummary } from '../review/stored-summary';
import { documentFieldsFrom } from '../review/stored-document-fields';
import { summarizeSession } from '../../../common/session/summary';
import { checkEvidenceForExport, type EvidenceChange } from './evidence-check';
import { isDamaged } from '../store/session-store';
import { MediaReads } from '../store/media-reads';
import { assertYotiId } from '../../../common/yoti-ids';
import { documentFieldsResolver } from '../../../common/session/document-fields';
import { toDocumentFields } from './document-fields';
import { sniffImage } from './images';
import { fieldValuesOf, type KnownFieldValues, type RedactProfile } from './redaction';
import type { ReportAudit, ReportDocumentFields, ReportEarlierDecision, ReportEvidence, ReportEvidenceViewed, ReportInput, ReportRetention, ReportReview, ReportReviewer } from './types';

/**
 * Everything the review record PDF shows, read from the encrypted offline store (works offline):
 * the session and its summary, the authoritative document fields of each document, what is stored
 * (each item decrypted and checked: a damaged one is left out, never shown as valid), the images,
 * the evidence manifest, the review record, the session's audit entries with the chain head, and
 * the retain-until. Used by `idv-review export` and by the app's report port (main/ipc).
 */

export interface GatherReportOptions {
  appVersion: string;
  /** The export's id (its audit entry names it); default a random UUID. */
  reportId?: string;
  /** A connection to Yoti was available when the report was made. */
  online: boolean;
  /** settings.faceMatchThreshold. */
  faceMatchThreshold: number;
  /** A redacted export also reads the document field values of every stored session (to scrub free text of them). */
  redact?: RedactProfile;
  /**
   * Export even when the evidence is damaged, changed outside the app, or not what the confirmed
   * decision was made on (page 1 then says so); otherwise that is refused with EVIDENCE_CHANGED.
   */
  allowChangedEvidence?: boolean;
}

/** Roles whose JPEG or PNG bytes are embedded as thumbnails. */
const IMAGE_ROLES: ReadonlySet<MediaRole> = new Set(['DOCUMENT_PAGE', 'DOCUMENT_ID_PHOTO', 'LIVENESS_FRAME', 'LIVENESS_IMAGE', 'FACE_CAPTURE_IMAGE']);

/** Document fields JSON is a few KB; anything near this is not document fields. */
const HEX64 = /^[0-9a-f]{64}$/;
const MAX_DETAIL_CHARS = 300;
/** Entry data the report shows elsewhere (environment, SDK ID) or that only links files (version ids, file hashes). */
const DETAIL_SKIP: ReadonlySet<string> = new Set([
  'apiUrl',
  'sdkId',
  'firstFetchedAt',
  'versionId',
  'previousVersionId',
  'supersedes',
  'fileSha256',
  'seq',
  'sessionWritten',
  // The key of a redacted export's commitments exists only in its audit entry: never printed.
  'commitmentKey',
]);

export async function gatherReportInput(store: OfflineStore, sessionId: string, opts: GatherReportOptions): Promise<ReportInput> {
  const sid = assertYotiId(sessionId, 'session ID');
  // A log rolled back, replaced or damaged cannot vouch for the record: refused in words.
  await store.assertTrusted();
  const record = await store.reviews.get(sid);
  // Each stored item is decrypted and checked once in this export; the checks below reuse what verified.
  const reads = new MediaReads(store.sessions, sid);
  const sessions = { loadSession: (s: string) => store.sessions.loadSession(s), loadMedia: reads.loadMedia };
  const read = await storedSummary({ sessions, seenBefore: (s) => store.seenBefore(s) }, sid, {
    faceMatchThreshold: record.decided?.context?.faceMatchThreshold ?? opts.faceMatchThreshold,
    decidedAt: record.decided?.decidedAt ?? undefined,
  });
  if (read === null) {
    const deleted = record.status === 'NONE' ? null : await store.deletedEvidence(sid, record.decided?.manifestHash ?? undefined);
    if (deleted !== null) return recordOnlyInput(store, sid, record, deleted, opts);
    throw new LocalError('SESSION_NOT_CACHED', `Session ${sid} is not in the local store: fetch it first.`);
  }
  const { stored, summary } = read;
  const { evidence, bytesOf } = await gatherEvidence(store, reads, summary);
  const { change: changed, storedNow } = await checkEvidenceForExport(store, sid, record.decided?.manifestHash, { session: stored.meta, media: reads.verified });
  if (changed !== null && opts.allowChangedEvidence !== true) throw evidenceChanged(sid, changed);
  if (storedNow !== null) evidence.manifestHash = storedNow;
  return {
    report: { reportId: opts.reportId ?? randomUUID(), appVersion: opts.appVersion, generatedOffline: !opts.online },
    session: { sessionId: sid, apiUrl: stored.meta.apiUrl, fetchedAt: stored.meta.fetchedAt, sdkId: stored.meta.sdkId },
    summary,
    documentFields: documentFieldsOf(summary, bytesOf),
    evidence,
    review: reviewOf(record, store.reasons),
    audit: await auditOf(store, sid),
    retention: await retentionOf(store, sid),
    ...(opts.redact === undefined || opts.redact === 'none' ? {} : { knownValues: await knownValuesOf(store) }),
    ...(changed === null ? {} : { evidenceChanged: changed }),
  };
}

/**
 * The record of a session whose evidence was deleted: the review record, the audit trail, and from
 * the log the environment it was fetched from and the manifest the decision rested on (each item with
 * its hash). Its files are still checked against the log first.
 */
async function recordOnlyInput(store: OfflineStore, sid: string, record: ReviewRecord, deleted: DeletedEvidence, opts: GatherReportOptions): Promise<ReportInput> {
  const changed = await store.sessionIntegrity(sid);
  if (changed.length > 0 && opts.allowChangedEvidence !== true) throw evidenceChanged(sid, { storedNow: null, problems: changed });
  const { deletion, manifest, fetched } = deleted;
  const keptUntil = store.recordKeptUntil(record);
  return {
    report: { reportId: opts.reportId ?? randomUUID(), appVersion: opts.appVersion, generatedOffline: !opts.online },
    session: { sessionId: sid, apiUrl: fetched?.apiUrl ?? 'Not recorded', fetchedAt: fetched?.at ?? 'Not recorded', sdkId: fetched?.sdkId ?? 'Not recorded' },
    summary: summarizeSession(parseSession(Buffer.from('{}')).session, { faceMatchThreshold: record.decided?.context?.faceMatchThreshold ?? opts.faceMatchThreshold }),
    documentFields: [],
    evidence: { stored: [], images: [], ...(manifest === null ? {} : { manifestHash: manifest.manifestHash }) },
    review: reviewOf(record, store.reasons),
    audit: await auditOf(store, sid),
    retention: keptUntil === null ? {} : { retainUntil: keptUntil, basis: `${store.recordRetentionDays} days after the record's last change (the record retention)` },
    evidenceDeleted: { deletion, manifest },
    ...(opts.redact === undefined || opts.redact === 'none' ? {} : { knownValues: await knownValuesOf(store) }),
    ...(changed.length === 0 ? {} : { evidenceChanged: { storedNow: null, problems: changed } }),
  };
}

function evidenceChanged(sid: string, changed: EvidenceChange): LocalError {
  const first = changed.problems[0] ?? '';
  const decided = changed.decidedOn === undefined ? '' : ` The confirmed decision was made on evidence manifest sha256:${changed.decidedOn}.`;
  return new LocalError(
    'EVIDENCE_CHANGED',
    `Not exported: ${first.charAt(0).toUpperCase()}${first.slice(1).replace(/\.$/, '')}.${decided} Run idv-review audit verify; fetch the session again ` +
      'and decide again on what is stored (decide … --supersede "why"), or export with --allow-changed-evidence to print the record with this warning on page 1.',
  );
}

/** The values of every document fields JSON of every stored session (damaged or unreadable ones give none). */
async function knownValuesOf(store: OfflineStore): Promise<KnownFieldValues> {
  const known: KnownFieldValues = { numbers: [], identity: [] };
  for (const meta of await store.sessions.listSessions()) {
    if (!isDamaged(meta)) await sessionFieldValues(store, meta.sessionId, known);
  }
  return known;
}

/** The values of one stored session's document fields JSON (none when it is damaged or unreadable). */
export async function sessionFieldValues(store: OfflineStore, sessionId: string, known: KnownFieldValues = { numbers: [], identity: [] }): Promise<KnownFieldValues> {
  try {
    const loaded = await store.sessions.loadSession(sessionId);
    if (loaded === null) return known;
    const { session } = parseSession(loaded.body);
    const resolve = documentFieldsResolver(session);
    for (const doc of [...(session.resources?.id_documents ?? []), ...(session.resources?.supplementary_documents ?? [])]) {
      if (doc.id === undefined) continue;
      const source = resolve(doc.id);
      if (source.source === 'NONE') continue;
      const media = await store.sessions.loadMedia(sessionId, source.mediaId);
      if (media === null || !('bytes' in media)) continue;
      const parsed = parseDocumentFieldsJson(media.bytes);
      if (typeof parsed !== 'string') fieldValuesOf(parsed, known);
    }
  } catch (err) {
    if (!isAppError(err)) throw err; // damaged: its values cannot be read, and its own export fails closed
  }
  return known;
}

/** Every stored item that decrypts and verifies, and the images to embed (each read through `reads`, once). */
async function gatherEvidence(
  store: OfflineStore,
  reads: MediaReads,
  summary: SessionSummary,
): Promise<{ evidence: ReportEvidence; bytesOf: ReadonlyMap<string, Buffer> }> {
  const sid = reads.sessionId;
  const roles = new Map(summary.media.flatMap((m) => (m.mediaId === undefined ? [] : [[m.mediaId, m.role] as const])));
  const evidence: ReportEvidence = { stored: [], images: [] };
  const bytesOf = new Map<string, Buffer>();
  for (const entry of await store.sessions.listMedia(sid)) {
    if (isDamaged(entry)) continue;
    let loaded;
    try {
      loaded = await reads.item(entry.mediaId);
    } catch (err) {
      if (isAppError(err)) continue; // damaged: shown as not stored
      throw err;
    }
    if (loaded === null) continue;
    const { meta } = loaded;
    if ('noContent' in loaded) {
      evidence.stored.push({ mediaId: meta.mediaId, size: 0, fetchedAt: meta.fetchedAt, noContent: true });
      continue;
    }
    evidence.stored.push({ mediaId: meta.mediaId, mimeType: loaded.meta.mimeType, size: loaded.meta.size, sha256: loaded.meta.sha256, fetchedAt: meta.fetchedAt });
    bytesOf.set(meta.mediaId, loaded.bytes);
    const role = roles.get(meta.mediaId);
    const format = role !== undefined && IMAGE_ROLES.has(role) ? sniffImage(loaded.bytes) : undefined;
    if (format !== undefined) evidence.images.push({ mediaId: meta.mediaId, data: loaded.bytes, format });
  }
  return { evidence, bytesOf };
}

/** The authoritative document fields (summary.documents[].fields, from documentFieldsResolver) that are stored and readable. */
function documentFieldsOf(summary: SessionSummary, bytesOf: ReadonlyMap<string, Buffer>): ReportDocumentFields[] {
  return documentFieldsFrom(summary, (mediaId) => bytesOf.get(mediaId)).flatMap(({ view }) =>
    view.resourceId === undefined || view.fields === null ? [] : [{ resourceId: view.resourceId, fields: toDocumentFields(view.fields), json: view.fields }],
  );
}

/** The latest version (null when none was saved); a damaged latest version is an error, never replaced by an older one. */
export function currentReview(record: ReviewRecord): ReviewVersion | null {
  if (record.status === 'DAMAGED') {
    throw new LocalError('REVIEW_DAMAGED', `${record.problems[0] ?? `The review record of session ${record.sessionId} is damaged.`} Run idv-review audit verify.`);
  }
  return record.current;
}

function reviewOf(record: ReviewRecord, reasons: ReasonCatalogue): ReportReview {
  const v = currentReview(record);
  if (v === null) {
    return {
      status: 'NONE',
      firstOpenedAt: record.evidenceViewed.firstOpenedAt ?? undefined,
      evidenceViewed: viewedOf(record.evidenceViewed),
      reasonCodes: [],
      checkVerdicts: [],
      notes: '',
    };
  }
  return {
    status: v.status,
    versionId: v.versionId,
    supersedesVersionId: v.supersedes ?? undefined,
    decision: v.decision ?? undefined,
    reviewer: reportReviewer(v.reviewer),
    firstOpenedAt: v.firstOpenedAt ?? undefined,
    decidedAt: v.decidedAt ?? undefined,
    savedAt: v.savedAt,
    timeOnTaskSeconds: v.timeOnTaskMs === null ? undefined : Math.round(v.timeOnTaskMs / 1000),
    activeSeconds: v.activeMs === undefined || v.activeMs === null ? undefined : Math.round(v.activeMs / 1000),
    // A decision shows what had been viewed when it was made; a draft, what has been viewed so far.
    evidenceViewed: viewedOf(v.evidenceViewed ?? record.evidenceViewed),
    reasonCodes: v.reasons.map((r) => ({ code: r.code, text: r.text, source: reasons.get(r.code)?.source })),
    checkVerdicts: v.checkVerdicts.map((c) => ({ ...c })),
    notes: v.notes,
    ...(v.context === undefined ? {} : { context: v.context }),
    superseded: supersededOf(record, reasons),
    draftSaves: record.versions.filter((x) => x.status === 'DRAFT').length,
  };
}

/** Who saved a version, as the record prints them. */
function reportReviewer(r: ReviewerIdentity): ReportReviewer {
  return { name: r.name ?? undefined, osAccount: r.osAccount, ...(r.role === undefined ? {} : { role: r.role }), ...(r.workstation === undefined ? {} : { workstation: r.workstation }) };
}

/** The confirmed versions a later decision superseded, oldest first, each with the reason the next one gave. */
function supersededOf(record: ReviewRecord, reasons: ReasonCatalogue): ReportEarlierDecision[] {
  const confirmed = record.versions.filter((x) => x.status === 'CONFIRMED');
  return confirmed.slice(0, -1).map((x, i) => {
    const next = confirmed[i + 1];
    return {
      versionId: x.versionId,
      ...(x.decision === null ? {} : { decision: x.decision }),
      reviewer: reportReviewer(x.reviewer),
      ...(x.decidedAt === null ? {} : { decidedAt: x.decidedAt }),
      reasonCodes: x.reasons.map((r) => ({ code: r.code, text: r.text, source: reasons.get(r.code)?.source })),
      notes: x.notes,
      ...(next?.context?.changeReason === undefined ? {} : { changedBecause: next.context.changeReason }),
    };
  });
}

function viewedOf(viewed: EvidenceViewed): ReportEvidenceViewed[] {
  return viewed.items.map((i) => ({ mediaId: i.mediaId, firstViewedAt: i.firstViewedAt, tools: { ...i.tools } }));
}

/** The session's entries (after checking the whole chain) and the hash of the newest entry of the log. */
async function auditOf(store: OfflineStore, sid: string): Promise<ReportAudit> {
  const all = await store.audit.entries();
  return {
    entries: all
      .filter((e) => e.sessionId === sid)
      .map((e) => ({ seq: e.seq, at: e.at, actor: e.who.name ? `${e.who.name} (${e.who.osAccount})` : e.who.osAccount, action: e.type, detail: detailOf(e), hash: e.mac })),
    chainHeadHash: all.at(-1)?.mac ?? ZERO_MAC,
    totalEntries: all.length,
  };
}

/** An entry's data in one line: codes, counts, flags that are set, short hashes (entries never hold PII or note text). */
function detailOf(e: AuditEntry): string | undefined {
  const parts = Object.keys(e.data)
    .filter((key) => !DETAIL_SKIP.has(key))
    .sort()
    .flatMap((key) => {
      const value = e.data[key];
      if (typeof value === 'boolean') return value ? [key] : [];
      const text = valueWords(value);
      return text === undefined ? [] : [`${key} ${text}`];
    });
  const line = parts.join('; ');
  if (line === '') return undefined;
  return line.length > MAX_DETAIL_CHARS ? `${line.slice(0, MAX_DETAIL_CHARS - 1)}…` : line;
}

function valueWords(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return HEX64.test(value) ? `${value.slice(0, 12)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((v) => valueWords(v) ?? '-').join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.hash === 'string') return valueWords(o.hash); // an evidence manifest: its hash
    const on = Object.keys(o).filter((k) => o[k] === true);
    return on.length === 0 ? undefined : on.join(', '); // flags such as the viewing tools
  }
  return undefined;
}

async function retentionOf(store: OfflineStore, sid: string): Promise<ReportRetention> {
  const view = await store.retention(sid);
  if (view === null) return {};
  return {
    retainUntil: view.retainUntil,
    basis: view.overridden
      ? 'A retain-until set for this session'
      : `${store.retentionDays} days after the first fetch (${view.firstFetchedAt.slice(0, 10)}), from the retention setting`,
  };
}
