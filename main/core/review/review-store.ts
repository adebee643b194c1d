import { randomUUID } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY_BYTES } from '../crypto/aead';
import { LocalError, UsageError } from '../../../common/errors';
import type { AuditEntry, AuditLog } from '../audit/audit-log';
import type { JsonObject } from '../audit/canonical';
import { sha256Hex, type EvidenceManifest } from '../audit/manifest';
import { errnoCode, moveIntoPlace, stageFile, type AtomicFs, type StagedFile } from '../store/atomic';
import { recordDir, recordsRoot, removeFolder } from '../store/layout';
import { assertYotiId, isYotiId } from '../../../common/yoti-ids';
import { checkGuardrails, type DecidedOver, type DecisionContext, type DecisionFacts, type DecisionOverrides, type GuardrailOutcome } from '../../../common/review/guardrails';
import type { ReasonCatalogue } from './reasons';
import {
  applyViewEvent,
  assertConfirmable,
  emptyEvidenceViewed,
  EvidenceViewedSchema,
  fieldsOf,
  mergeInput,
  normaliseTools,
  ReviewVersionSchema,
  sameFields,
  type EvidenceViewed,
  type ReviewerIdentity,
  type ReviewInput,
  type ConfirmableFields,
  type ReviewVersion,
  type ViewingTools,
} from './record';
import { openJson, readIfExists, sealJson } from './sealed-json';

/**
 * Review records: `records/<sessionId>/v-<seq, 8 digits>.idvr`, one file per saved version,
 * sealed with the review key (HKDF(DEK,'review')) under AAD `idv-review|review|<sessionId>|<seq>`
 * (see sealed-json.ts), and `records/<sessionId>/viewed.idvr` (AAD `idv-review|viewed|<sessionId>`)
 * with what was opened and viewed (record.ts EvidenceViewed). They live apart from the evidence
 * (store/layout.ts): deleting a session's evidence keeps its record.
 *
 * Every call runs as one locked, audited step (see offline-store.ts): the new file is staged, an
 * audit entry announcing it (with the SHA-256 of the file) is appended, the file is moved into place,
 * and the audit log is anchored. A crash at any point leaves either no version (the announcement is
 * then marked aborted) or the complete one; never a changed earlier version.
 */

/** A decision to confirm (or to check): the input, and how it is made. */
export interface DecisionRequest extends ReviewInput {
  /** Changes a confirmed decision (a new linked version). */
  supersede?: boolean;
  /** 'app': what was viewed is checked; 'cli': recorded as made from the command line, where viewing is not tracked. */
  via: 'app' | 'cli';
  overrides?: DecisionOverrides;
  /** The CLI's --reviewer; else the settings' reviewer name. */
  reviewerName?: string;
  /** In the app: the active time the page measured on this session (kept at most the elapsed time). */
  activeMs?: number;
  /** Team mode: the other reviewer's decision this one replaces, and why (team/team-decision.ts). */
  decidedOver?: DecidedOver;
}

/** DAMAGED: the latest version does not open (verify names it); nothing can be saved until it is looked at. */
export type ReviewState = 'NONE' | 'DRAFT' | 'CONFIRMED' | 'DAMAGED';

export interface ReviewRecord {
  sessionId: string;
  /** NONE: nothing saved; DRAFT / CONFIRMED: the latest version's status; DAMAGED: the latest version does not open. */
  status: ReviewState;
  /** The latest version (null when none, or when the latest one is damaged: see problems). */
  current: ReviewVersion | null;
  /** The latest confirmed version: the decision in force. */
  decided: ReviewVersion | null;
  /** Every readable version, oldest first. */
  versions: ReviewVersion[];
  evidenceViewed: EvidenceViewed;
  /** Versions or files that are damaged, in words (never shown as valid). */
  problems: string[];
}

export interface ReviewStoreDeps {
  dataDir: string;
  /** 32 bytes: KeyVault.subkey('review'). */
  key: Buffer;
  reviewer: ReviewerIdentity;
  reasons: ReasonCatalogue;
  audit: AuditLog;
  /** Runs fn under the store lock after reconciling interrupted steps. */
  section: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The evidence manifest as stored now, every item verified; throws when the cache is damaged or missing. */
  verifiedManifestLocked: (sessionId: string) => Promise<EvidenceManifest>;
  /** The session JSON is cached. */
  isCached: (sessionId: string) => Promise<boolean>;
  /** What the guardrails check a decision against (decision-facts.ts), read under the lock. */
  decisionFactsLocked: (sessionId: string) => Promise<DecisionFacts>;
  now?: () => Date;
  fs?: AtomicFs;
}

const VERSION_FILE = /^v-(\d{8})\.idvr$/;
const VIEWED_FILE = 'viewed.idvr';
const SAVE_TYPES = new Set(['review.note-saved', 'review.decision-saved']);

export function reviewAad(sessionId: string, seq: number): string {
  return `idv-review|review|${sessionId}|${seq}`;
}

export function viewedAad(sessionId: string): string {
  return `idv-review|viewed|${sessionId}`;
}

export function versionFileName(seq: number): string {
  return `v-${String(seq).padStart(8, '0')}.idvr`;
}

export class ReviewStore {
  private readonly key: Buffer;
  private readonly now: () => Date;
  private readonly fs: AtomicFs;

  constructor(private readonly deps: ReviewStoreDeps) {
    if (!Buffer.isBuffer(deps.key) || deps.key.length !== KEY_BYTES) throw new RangeError('the review key must be 32 bytes');
    this.key = Buffer.from(deps.key);
    this.now = deps.now ?? (() => new Date());
    this.fs = deps.fs ?? nodeFs;
  }

  get reasons(): ReasonCatalogue {
    return this.deps.reasons;
  }

  /** The current record, the decision in force, every version, and what was viewed. Reads only. */
  async get(sessionId: string): Promise<ReviewRecord> {
    const sid = assertYotiId(sessionId, 'session ID');
    const problems: string[] = [];
    const versions: ReviewVersion[] = [];
    const seqs = await this.versionSeqs(sid);
    for (const seq of seqs) {
      try {
        const v = await this.readVersion(sid, seq);
        if (v) versions.push(v);
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
      }
    }
    let evidenceViewed = emptyEvidenceViewed();
    try {
      evidenceViewed = await this.readViewed(sid);
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
    const latest = versions.at(-1);
    // A damaged latest version is never replaced by an older one as if it were current.
    const current = latest !== undefined && latest.seq === seqs.at(-1) ? latest : null;
    const decided = [...versions].reverse().find((v) => v.status === 'CONFIRMED') ?? null;
    const status: ReviewState = seqs.length === 0 ? 'NONE' : current === null ? 'DAMAGED' : current.status;
    return { sessionId: sid, status, current, decided, versions, evidenceViewed, problems };
  }

  /** The latest version and the decision in force, reading as few versions as possible (for lists). */
  async summary(sessionId: string): Promise<{ status: ReviewState; current: ReviewVersion | null; decided: ReviewVersion | null; problem?: string }> {
    const sid = assertYotiId(sessionId, 'session ID');
    const seqs = await this.versionSeqs(sid);
    let current: ReviewVersion | null = null;
    try {
      for (let i = seqs.length - 1; i >= 0; i -= 1) {
        const v = await this.readVersion(sid, seqs[i] ?? 0);
        if (!v) continue;
        current ??= v;
        if (v.status === 'CONFIRMED') return { status: current.status, current, decided: v };
      }
    } catch (err) {
      return { status: current?.status ?? 'DAMAGED', current, decided: null, problem: err instanceof Error ? err.message : String(err) };
    }
    return { status: current?.status ?? 'NONE', current, decided: null };
  }

  /**
   * Saves what the reviewer typed as a new DRAFT version (unchanged input saves nothing and returns
   * the current version). Refused once a decision is confirmed, unless `supersede` starts a change of
   * it (the draft then names the confirmed version it will supersede).
   */
  async saveDraft(sessionId: string, input: ReviewInput, opts: { supersede?: boolean } = {}): Promise<ReviewVersion> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.deps.section(async () => {
      await this.requireCached(sid);
      const current = await this.latestLocked(sid);
      if (current?.status === 'CONFIRMED' && !opts.supersede) throw decisionFinal(sid, current);
      const fields = mergeInput(fieldsOf(current), input, this.deps.reasons);
      if (current?.status === 'DRAFT' && sameFields(fieldsOf(current), fields)) return current;
      const viewed = await this.readViewed(sid);
      const at = this.now().toISOString();
      const version: ReviewVersion = {
        ...(await this.nextVersion(sid, current, fields, viewed, at)),
        status: 'DRAFT',
        decidedAt: null,
        timeOnTaskMs: null,
        manifestHash: null,
        evidenceViewed: null,
      };
      await this.writeVersionLocked(version, 'review.note-saved', {
        decision: version.decision,
        reasonCodes: fields.reasonCodes,
        notesLength: fields.notes.length,
        checkVerdicts: fields.checkVerdicts.length,
      });
      return version;
    });
  }

  /**
   * What confirming this decision now would need (guardrails.ts), without saving anything: the app
   * asks before its confirm step so the step can name what is missing.
   */
  async checkDecision(sessionId: string, request: DecisionRequest): Promise<GuardrailOutcome> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.deps.section(async () => {
      await this.requireCached(sid);
      const current = await this.latestLocked(sid);
      const fields = mergeInput(fieldsOf(current), request, this.deps.reasons);
      assertConfirmable(fields, this.deps.reasons);
      return this.guardrailsLocked(sid, current, fields, request);
    });
  }

  /**
   * Confirms a decision: a new CONFIRMED version with the evidence manifest hash it was made on, the
   * evidence viewed so far, the time on task and the decision context (guardrails.ts: Yoti's result,
   * the warnings, the threshold, every override given). Refused, with nothing recorded, when a decision
   * is already confirmed unless `supersede`, when a non-APPROVE decision has no reason, for unknown
   * reason codes, when a guardrail is unmet, and when the cached evidence is damaged.
   */
  async confirmDecision(sessionId: string, request: DecisionRequest): Promise<ReviewVersion> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.deps.section(async () => {
      await this.requireCached(sid);
      const current = await this.latestLocked(sid);
      if (current?.status === 'CONFIRMED' && !request.supersede) throw decisionFinal(sid, current);
      const fields = mergeInput(fieldsOf(current), request, this.deps.reasons);
      assertConfirmable(fields, this.deps.reasons);
      const manifest = await this.deps.verifiedManifestLocked(sid);
      const { unmet, context } = await this.guardrailsLocked(sid, current, fields, request);
      if (unmet.length > 0) throw new UsageError('DECISION_REFUSED', `Not recorded: ${unmet.map((u) => u.text).join(' ')}`);
      const viewed = await this.readViewed(sid);
      const decidedAt = this.now();
      const at = decidedAt.toISOString();
      const base = await this.nextVersion(sid, current, fields, viewed, at, reviewerOf(this.deps.reviewer, request));
      const version: ReviewVersion = {
        ...base,
        status: 'CONFIRMED',
        decidedAt: at,
        timeOnTaskMs: Math.max(0, decidedAt.getTime() - Date.parse(base.startedAt)),
        manifestHash: manifest.manifestHash,
        evidenceViewed: viewed,
        context: request.decidedOver === undefined ? context : { ...context, decidedOver: request.decidedOver },
      };
      // The page's count cannot claim more than the clock allows.
      if (request.activeMs !== undefined) version.activeMs = Math.min(Math.round(request.activeMs), version.timeOnTaskMs ?? 0);
      await this.writeVersionLocked(version, 'review.decision-saved', {
        decision: fields.decision,
        reasonCodes: fields.reasonCodes,
        manifestHash: manifest.manifestHash,
        timeOnTaskMs: version.timeOnTaskMs,
        activeMs: version.activeMs ?? null,
        notesLength: fields.notes.length,
        checkVerdicts: fields.checkVerdicts.length,
        via: context.via,
        faceMatchThreshold: context.faceMatchThreshold,
        overrides: overridesGiven(context),
      });
      return version;
    });
  }

  /** The guardrails over the decision as it would be confirmed now (lock held). */
  private async guardrailsLocked(sid: string, current: ReviewVersion | null, fields: ConfirmableFields, request: DecisionRequest): Promise<GuardrailOutcome> {
    const facts = await this.deps.decisionFactsLocked(sid);
    const viewed = request.via === 'app' ? new Set((await this.readViewed(sid)).items.map((i) => i.mediaId)) : null;
    const superseding = current !== null && (current.status === 'CONFIRMED' || current.supersedes !== null);
    return checkGuardrails({
      decision: fields.decision,
      reasonCodes: fields.reasonCodes,
      notes: fields.notes,
      facts,
      viewedMediaIds: viewed,
      superseding,
      reviewerName: reviewerOf(this.deps.reviewer, request).name,
      overrides: request.overrides ?? {},
    });
  }

  /** What every new version carries: its place in the chain of versions, the fields and who saved them. */
  private async nextVersion(
    sid: string,
    current: ReviewVersion | null,
    fields: ReturnType<typeof mergeInput>,
    viewed: EvidenceViewed,
    at: string,
    reviewer: ReviewerIdentity = this.deps.reviewer,
  ): Promise<Omit<ReviewVersion, 'status' | 'decidedAt' | 'timeOnTaskMs' | 'manifestHash' | 'evidenceViewed'>> {
    return {
      v: 1,
      sessionId: sid,
      versionId: randomUUID(),
      seq: (current?.seq ?? (await this.lastSeq(sid))) + 1,
      previousVersionId: current?.versionId ?? null,
      supersedes: current === null ? null : current.status === 'CONFIRMED' ? current.versionId : current.supersedes,
      decision: fields.decision,
      reasons: this.withTexts(fields.reasonCodes),
      notes: fields.notes,
      checkVerdicts: fields.checkVerdicts,
      reviewer: { ...reviewer },
      firstOpenedAt: viewed.firstOpenedAt,
      startedAt: cycleStart(current, viewed, at),
      savedAt: at,
    };
  }

  /** Records that the session was opened (first and last time, count), with an audit entry. */
  markOpened(sessionId: string): Promise<EvidenceViewed> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.recordView(sid, { type: 'session.opened' });
  }

  /** Records that one media item was viewed and which tools were used on it, with an audit entry. */
  recordEvidenceViewed(sessionId: string, view: { mediaId: string; tools?: Partial<ViewingTools> }): Promise<EvidenceViewed> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mediaId = assertYotiId(view.mediaId, 'media ID');
    return this.recordView(sid, { type: 'media.viewed', mediaId, tools: normaliseTools(view.tools) });
  }

  /** What was opened and viewed so far. */
  async evidenceViewed(sessionId: string): Promise<EvidenceViewed> {
    return this.readViewed(assertYotiId(sessionId, 'session ID'));
  }

  // ---- used by the offline store (lock held) ----

  /** Sessions that have a record folder, sorted. */
  async listSessionIds(): Promise<string[]> {
    try {
      return (await readdir(recordsRoot(this.deps.dataDir))).filter((n) => isYotiId(n)).sort();
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw new LocalError('REVIEW_UNREADABLE', `Cannot read the review records folder (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
  }

  /** Removes a session's whole record (every version, evidence viewed); the caller audits it (lock held). */
  async deleteLocked(sessionId: string): Promise<boolean> {
    try {
      return await removeFolder(this.fs, recordsRoot(this.deps.dataDir), assertYotiId(sessionId, 'session ID'));
    } catch (err) {
      throw new LocalError('REVIEW_DELETE_FAILED', `Could not delete the review record of session ${sessionId} (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
  }

  /** Seqs of the version files present, ascending. */
  async versionSeqs(sessionId: string): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(recordDir(this.deps.dataDir, sessionId));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw new LocalError('REVIEW_UNREADABLE', `Cannot read the review records of session ${sessionId} (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
    return names
      .map((n) => VERSION_FILE.exec(n)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** One version, checked (null when the file does not exist). */
  async readVersion(sessionId: string, seq: number): Promise<ReviewVersion | null> {
    const what = `review version ${seq} of session ${sessionId}`;
    const file = await readIfExists(this.versionPath(sessionId, seq), 'REVIEW_DAMAGED', what);
    if (file === null) return null;
    const v = openJson(this.key, file, reviewAad(sessionId, seq), ReviewVersionSchema, 'REVIEW_DAMAGED', what);
    if (v.sessionId !== sessionId || v.seq !== seq) throw new LocalError('REVIEW_DAMAGED', `${capital(what)} is damaged: it belongs to another record.`);
    return v;
  }

  /** The raw bytes of a version file (for verify), or null. */
  async readVersionBytes(sessionId: string, seq: number): Promise<Buffer | null> {
    return readIfExists(this.versionPath(sessionId, seq), 'REVIEW_DAMAGED', `review version ${seq} of session ${sessionId}`);
  }

  /** The evidence-viewed file (empty when none). */
  async readViewed(sessionId: string): Promise<EvidenceViewed> {
    const what = `the evidence-viewed record of session ${sessionId}`;
    const file = await readIfExists(join(recordDir(this.deps.dataDir, sessionId), VIEWED_FILE), 'REVIEW_DAMAGED', what);
    if (file === null) return emptyEvidenceViewed();
    return openJson(this.key, file, viewedAad(sessionId), EvidenceViewedSchema, 'REVIEW_DAMAGED', what);
  }

  /** Finishes or aborts an audited step a crash interrupted (lock held). */
  async reconcileLocked(entry: AuditEntry): Promise<void> {
    const sid = entry.sessionId;
    if (sid === null) return;
    await sweepTemps(this.fs, recordDir(this.deps.dataDir, sid));
    if (SAVE_TYPES.has(entry.type)) {
      const seq = entry.data.seq;
      const sha = entry.data.fileSha256;
      if (typeof seq !== 'number' || typeof sha !== 'string') return;
      const bytes = await this.readVersionBytes(sid, seq).catch(() => null);
      if (bytes !== null && sha256Hex(bytes) === sha) return; // it was written: the step is complete
      if (bytes === null) {
        await this.deps.audit.appendLocked('op.aborted', sid, { ref: entry.seq, reason: 'the review version was not written' }, { anchor: false });
      }
      return;
    }
    if (entry.type === 'session.opened' || entry.type === 'media.viewed') {
      const viewed = await this.readViewed(sid).catch(() => null);
      if (viewed === null || viewed.appliedSeq >= entry.seq) return;
      const next = applyViewEvent(viewed, viewEventOf(entry));
      const staged = await stageFile(this.fs, join(recordDir(this.deps.dataDir, sid), VIEWED_FILE), sealJson(this.key, next, viewedAad(sid)));
      await moveIntoPlace(this.fs, [staged]);
    }
  }

  // ---- internals ----

  private versionPath(sessionId: string, seq: number): string {
    return join(recordDir(this.deps.dataDir, sessionId), versionFileName(seq));
  }

  private async lastSeq(sessionId: string): Promise<number> {
    return (await this.versionSeqs(sessionId)).at(-1) ?? 0;
  }

  /** The latest version; a damaged latest version stops every change (verify names it). */
  private async latestLocked(sessionId: string): Promise<ReviewVersion | null> {
    const seq = (await this.versionSeqs(sessionId)).at(-1);
    if (seq === undefined) return null;
    return this.readVersion(sessionId, seq);
  }

  private async requireCached(sessionId: string): Promise<void> {
    if (!(await this.deps.isCached(sessionId))) {
      throw new LocalError('SESSION_NOT_CACHED', `Session ${sessionId} is not in the local store: fetch it first.`);
    }
  }

  private withTexts(codes: readonly string[]): Array<{ code: string; text: string }> {
    return codes.map((code) => ({ code, text: this.deps.reasons.get(code)?.text ?? code }));
  }

  /** Stage, announce (audit intent with the file's SHA-256), move into place, anchor. */
  private async writeVersionLocked(version: ReviewVersion, type: 'review.note-saved' | 'review.decision-saved', extra: JsonObject): Promise<void> {
    const sid = version.sessionId;
    const bytes = sealJson(this.key, version, reviewAad(sid, version.seq));
    const staged = await stageFile(this.fs, this.versionPath(sid, version.seq), bytes);
    await this.announceAndCommit(staged, type, sid, {
      versionId: version.versionId,
      seq: version.seq,
      status: version.status,
      previousVersionId: version.previousVersionId,
      supersedes: version.supersedes,
      fileSha256: sha256Hex(bytes),
      ...extra,
    });
  }

  private async recordView(
    sid: string,
    view: { type: 'session.opened' } | { type: 'media.viewed'; mediaId: string; tools: ViewingTools },
  ): Promise<EvidenceViewed> {
    return this.deps.section(async () => {
      await this.requireCached(sid);
      const viewed = await this.readViewed(sid);
      const at = this.now().toISOString();
      const seq = this.deps.audit.countLocked + 1;
      const next = applyViewEvent(viewed, { ...view, seq, at });
      const data: JsonObject = view.type === 'media.viewed' ? { mediaId: view.mediaId, tools: { ...view.tools } } : {};
      const staged = await stageFile(this.fs, join(recordDir(this.deps.dataDir, sid), VIEWED_FILE), sealJson(this.key, next, viewedAad(sid)));
      await this.announceAndCommit(staged, view.type, sid, data, at);
      return next;
    });
  }

  private async announceAndCommit(staged: StagedFile, type: AuditEntry['type'], sid: string, data: JsonObject, at?: string): Promise<void> {
    try {
      await this.deps.audit.appendLocked(type, sid, data, { intent: true, at });
    } catch (err) {
      await this.fs.unlink(staged.temp).catch(() => undefined);
      throw err;
    }
    try {
      await moveIntoPlace(this.fs, [staged]);
    } catch (err) {
      throw new LocalError('WRITE_FAILED', `Saving the review record of session ${sid} failed (${errnoCode(err instanceof Error ? err.cause : err) ?? 'error'}); it will be checked on the next start.`, {
        cause: err,
      });
    }
    // The step is durable now; if anchoring fails (disk full), the next locked step anchors it.
    await this.deps.audit.anchorLocked().catch(() => undefined);
  }
}

/** Start of the current decision: a draft carries it; a first decision starts at the first opening. */
/**
 * When the work on a decision began: a draft keeps the start of its cycle; the first decision counts
 * from the first opening; a change of a confirmed decision from the last opening after that decision,
 * or from the decision itself when the session stayed open since (it used to count from the change's
 * own first save, so a change confirmed at once showed no time on task at all).
 */
function cycleStart(current: ReviewVersion | null, viewed: EvidenceViewed, now: string): string {
  if (current?.status === 'DRAFT') return current.startedAt;
  if (current === null) return viewed.firstOpenedAt ?? now;
  const decidedAt = current.decidedAt ?? current.savedAt;
  return viewed.lastOpenedAt !== null && viewed.lastOpenedAt > decidedAt ? viewed.lastOpenedAt : decidedAt;
}

function viewEventOf(entry: AuditEntry):
  | { seq: number; at: string; type: 'session.opened' }
  | { seq: number; at: string; type: 'media.viewed'; mediaId: string; tools: ViewingTools } {
  if (entry.type === 'session.opened') return { seq: entry.seq, at: entry.at, type: 'session.opened' };
  const t = entry.data.tools;
  const flag = (k: keyof ViewingTools): boolean => typeof t === 'object' && t !== null && !Array.isArray(t) && t[k] === true;
  return {
    seq: entry.seq,
    at: entry.at,
    type: 'media.viewed',
    mediaId: typeof entry.data.mediaId === 'string' ? entry.data.mediaId : '',
    tools: { zoom: flag('zoom'), rotate: flag('rotate'), filters: flag('filters'), compare: flag('compare') },
  };
}

export { viewEventOf };

function decisionFinal(sid: string, current: ReviewVersion): UsageError {
  return new UsageError(
    'DECISION_FINAL',
    `The decision on session ${sid} (${current.decision ?? 'none'}, confirmed ${current.decidedAt ?? current.savedAt}) is final. ` +
      'To change it, confirm a new decision with supersede and the reason for the change (idv-review decide … --supersede "why"): it is kept as a new, linked version.',
  );
}

/** The reviewer of a decision: the CLI's --reviewer when given, else the settings' name. */
function reviewerOf(reviewer: ReviewerIdentity, request: DecisionRequest): ReviewerIdentity {
  const name = request.reviewerName?.trim();
  return name === undefined || name === '' ? reviewer : { ...reviewer, name: name.slice(0, 200) };
}

/** The rules the reviewer overrode, by name (for the audit entry: no free text in the log). */
function overridesGiven(context: DecisionContext): string[] {
  const out: string[] = [];
  if (context.beforeComplete !== undefined) out.push('BEFORE_COMPLETE');
  if (context.overridesYoti === true) out.push('OVERRIDE_NOTE');
  if (context.contradictedReasons !== undefined) out.push('CONTRADICTED_REASON');
  if (context.unviewed !== undefined) out.push('UNVIEWED_EVIDENCE');
  if (context.changeReason !== undefined) out.push('CHANGE_REASON');
  return out;
}

/** Removes temp files left by an interrupted write in a folder (names `.<name>.<random>.tmp`). */
export async function sweepTemps(fs: AtomicFs, dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const n of names) if (n.startsWith('.') && n.endsWith('.tmp')) await fs.unlink(join(dir, n)).catch(() => undefined);
}

function capital(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}
