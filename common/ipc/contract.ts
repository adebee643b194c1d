/**
 * The IPC contract: every call the renderer can make, one function per use case, and every event
 * main pushes. Arguments are validated in main with these schemas (the renderer is not trusted);
 * results are plain JSON so they survive structured cloning. Nothing here carries a file path, a
 * PEM, a key or a signed URL. Renderer code imports this file for types only.
 */
import * as z from 'zod';
import { DECISIONS, type Decision, type ReasonCategory, type ReasonKind } from '../review/decisions';
import { OverridesSchema, type DecisionContext, type UnmetRule } from '../review/guardrails';
import type { MrzVerification } from '../mrz/verify';
import type { EvidenceDeletion } from '../review/evidence-deletion';
import type { MediaItem } from '../session/media';
import type { YotiProgress } from '../session/overall';
import type { SessionSummary } from '../session/summary';

const yotiId = z.string().regex(/^[0-9A-Za-z](?:[0-9A-Za-z-]{0,62}[0-9A-Za-z])?$/, 'not a Yoti id');
const none = z.object({}).strict();

const checkVerdict = z.object({
  checkId: z.string().min(1).max(128),
  verdict: z.enum(['AGREE', 'OVERRIDE']),
  note: z.string().max(5_000).default(''),
}).strict();

const decisionArgs = z.object({
  sessionId: yotiId,
  decision: z.enum(DECISIONS),
  reasonCodes: z.array(z.string().min(1).max(100)).max(50),
  notes: z.string().max(200_000),
  checkVerdicts: z.array(checkVerdict).max(200),
  /** Required to change a confirmed decision; creates a new linked version. */
  supersede: z.boolean().optional(),
  /** The guardrail overrides the reviewer gave in the confirm step (recorded with the decision). */
  overrides: OverridesSchema.optional(),
  /** Active time on the session the page measured (focused, visible, input within the last minute); main keeps it at most the elapsed time. */
  activeMs: z.number().int().min(0).max(30 * 24 * 3600 * 1000).optional(),
}).strict();

const viewingTools = z.object({
  zoom: z.boolean().optional(),
  rotate: z.boolean().optional(),
  filters: z.boolean().optional(),
  compare: z.boolean().optional(),
}).strict();

/** Argument schema of every call. Adding a call means adding it here, to `Api`, and to the handler table. */
export const ARGS = {
  getAppState: none,
  updateSettings: z.object({
    /** null returns to Yoti production. */
    apiUrl: z.string().url().max(2_000).nullable().optional(),
    reviewerName: z.string().max(200).optional(),
    /** Printed with the name on the review record; '' clears it. */
    reviewerRole: z.string().max(100).optional(),
    /** This workstation's name on the record; '' returns to the host name. */
    workstation: z.string().max(200).optional(),
    /** Days the evidence (session JSON, media) is kept after the first fetch. */
    retentionDays: z.number().int().min(1).max(36_500).optional(),
    /** Days a review record is kept after its last change. */
    recordRetentionDays: z.number().int().min(1).max(36_500).optional(),
    faceMatchThreshold: z.number().min(0).max(1).optional(),
    /** The stored key to fetch with when several are stored; null clears the choice. */
    sdkId: yotiId.nullable().optional(),
    /** Stops trusting the corporate CA bundle (choosing one goes through chooseCaFileWithDialog). */
    extraCaFile: z.null().optional(),
  }).strict(),
  /** Main's file dialog picks a corporate CA bundle; main reads it and asks natively before trusting it. */
  chooseCaFileWithDialog: none,
  /** Main shows a native open dialog and reads the PEM itself; the renderer never sees it. */
  importKeyWithDialog: z.object({ sdkId: yotiId }).strict(),
  removeKey: z.object({ sdkId: yotiId }).strict(),
  /** Starts the local Yoti-compatible server in main with the demo key, and points the app at it. */
  startDemo: none,
  stopDemo: none,

  listSessions: none,
  /** Pasted text: ids separated by whitespace, commas or new lines. Invalid ones are reported, not added. */
  addSessions: z.object({ text: z.string().max(1_000_000) }).strict(),
  importSessionsCsvWithDialog: none,
  fetchSession: z.object({ sessionId: yotiId, force: z.boolean().optional() }).strict(),
  removeSessionLocally: z.object({ sessionId: yotiId }).strict(),

  /** readAhead: the view for "Next", read while the reviewer works on another session; records no opening. */
  openSession: z.object({ sessionId: yotiId, readAhead: z.boolean().optional() }).strict(),
  /** Records the opening of a stored session whose view was read ahead (before the page shows it). */
  markSessionOpened: z.object({ sessionId: yotiId }).strict(),
  openRecord: z.object({ sessionId: yotiId }).strict(),
  /** Yoti's session JSON as stored, read-only; personal values masked unless `reveal`. Reads only. */
  getSessionJson: z.object({ sessionId: yotiId, reveal: z.boolean() }).strict(),
  deleteRecord: z.object({ sessionId: yotiId }).strict(),
  /** Saves one media item (the facemap) to a file chosen in a native save dialog. */
  saveMediaWithDialog: z.object({ sessionId: yotiId, mediaId: yotiId }).strict(),
  recordEvidenceViewed: z.object({ sessionId: yotiId, mediaId: yotiId, tools: viewingTools }).strict(),

  listReasonCodes: none,
  saveReviewDraft: z.object({
    sessionId: yotiId,
    /** The choice so far, kept with the draft (it becomes final only through confirmDecision). */
    decision: z.enum(DECISIONS).optional(),
    notes: z.string().max(200_000),
    reasonCodes: z.array(z.string().min(1).max(100)).max(50),
    checkVerdicts: z.array(checkVerdict).max(200),
  }).strict(),
  /** What confirming this decision would need (the guardrails main enforces), without saving anything. */
  checkDecision: decisionArgs,
  /** Refused, with nothing recorded, while a guardrail is unmet and not overridden. */
  confirmDecision: decisionArgs,

  /** Deletes at Yoti (a whole COMPLETED session, or one media item), then locally. */
  deleteAtYoti: z.object({ sessionId: yotiId, mediaId: yotiId.optional() }).strict(),
  exportReportWithDialog: z.object({ sessionId: yotiId, redact: z.boolean() }).strict(),
  verifyAudit: none,
  /** Team mode: the queue's claims, decisions awaiting this reviewer's countersignature, conflicts, the outbox (sent first). */
  getTeamView: none,
  /** Joins a team database (main asks the person to confirm, natively); the password goes to the OS keychain. */
  joinTeam: z.object({ url: z.string().min(1).max(2_000), password: z.string().min(1).max(1_000) }).strict(),
  /** Claims the next undecided session of the team queue for this reviewer and adds it to the local list. */
  claimNextTeamSession: none,
  countersignTeamDecision: z.object({ sessionId: yotiId }).strict(),
} as const;

export type Channel = keyof typeof ARGS;
export const CHANNELS = Object.keys(ARGS) as Channel[];
export type Args<C extends Channel> = z.input<(typeof ARGS)[C]>;
export type ParsedArgs<C extends Channel> = z.output<(typeof ARGS)[C]>;

// ---- Results ---------------------------------------------------------------------------------

export interface ApiErrorInfo {
  code: string;
  /** Words a reviewer can act on ("this key does not belong to SDK ID …"). */
  message: string;
  kind: 'usage' | 'remote' | 'local';
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorInfo };

export interface KeyView {
  sdkId: string;
  modulusBits: number;
  fingerprint: string;
  importedAt: string;
}

export interface SettingsView {
  apiUrl: string;
  environment: 'production' | 'demo' | 'custom';
  reviewerName?: string;
  reviewerRole?: string;
  /** The workstation's name when set; the record prints hostName otherwise. */
  workstation?: string;
  hostName: string;
  retentionDays: number;
  /** False until someone chose the evidence retention (the app asks at first run; until then the default applies). */
  retentionChosen: boolean;
  recordRetentionDays: number;
  faceMatchThreshold: number;
  /** The key chosen to fetch with (settings), when one is. */
  sdkId?: string;
  /** The corporate CA bundle trusted for signed requests, by file name (its path stays in main). */
  extraCaFile?: string;
}

/**
 * Whether the configured API answers (main/core/yoti/reachability.ts): online only when its latest
 * request or check got an HTTP answer, recently. Actions that need Yoti are disabled while offline.
 */
export interface ApiReachability {
  online: boolean;
  /** Why it counts as offline, in words, e.g. "Yoti's API did not answer at 14:05 (connection refused)"; absent while online. */
  reason?: string;
  /** When the outcome this rests on happened (ISO 8601): while online, the latest answer. */
  checkedAt?: string;
}

export interface AppState {
  version: string;
  settings: SettingsView;
  keys: KeyView[];
  demo: { running: boolean; apiUrl?: string; sdkId?: string };
  reachability: ApiReachability;
  /** Operating-system account, recorded with every decision. */
  osAccount: string;
}

/** evidence-deleted: the session's evidence was deleted (at Yoti, locally or by the purge); its review record stays. */
export type CacheStatus = 'not-fetched' | 'intact' | 'partial' | 'damaged' | 'evidence-deleted';

export interface QueueRow {
  sessionId: string;
  addedAt: string;
  state?: string;
  /** Yoti's overall result (APPROVE, REJECT, NEEDS_ATTENTION, PENDING; NOT_AVAILABLE in older copies). */
  overall?: string;
  /** How far Yoti has got: reviewStatus({ yoti, decided, goneAtYoti }) gives the row's status. */
  yoti?: YotiProgress;
  decision?: Decision;
  decidedAt?: string;
  decidedBy?: string;
  /** Derived from the times in Yoti's JSON: the earliest it gives. */
  created?: string;
  userTrackingId?: string;
  /** The first document in words ("Passport, UTO"). */
  document?: string;
  /** How many warnings the opened session lists (its Summary tab). */
  warnings?: number;
  cache: CacheStatus;
  fetchedAt?: string;
  retainUntil?: string;
  tokenTtlSeconds?: number;
  /** Other stored sessions of the same document or person; rejected: one of them was rejected. */
  seenBefore?: { count: number; rejected: boolean };
  /** Set when the evidence was deleted and the review record kept (cache 'evidence-deleted'). */
  evidenceDeleted?: EvidenceDeletion;
  /**
   * The image the viewer opens this session on (common/session/evidence.ts, over what is stored): the
   * page asks for it on the click, while main records the opening and checks every item. A hint: the
   * stage shows what the view names, and the media protocol checks every byte it serves.
   */
  openingImageUrl?: string;
}

export interface AddSessionsResult {
  added: string[];
  duplicates: string[];
  invalid: Array<{ value: string; reason: string }>;
}

export interface FetchResult {
  sessionId: string;
  state?: string;
  mediaTotal: number;
  mediaSaved: number;
  mediaNoContent: number;
  mediaFailed: Array<{ mediaId: string; code: string; message: string }>;
  /** The session was COMPLETED and cached, so nothing was fetched (use force to refetch). */
  keptCached?: boolean;
}

export interface MediaView extends MediaItem {
  /** Opaque per-run URL the page can load (custom protocol in the app); absent when not stored. */
  url?: string;
  /** The same for its thumbnail (images only): the strip and the stage's first paint. */
  thumbnailUrl?: string;
  /** An image's size in pixels, upright as the page shows it (recorded when it entered the store; absent before that was done). */
  pixels?: { width: number; height: number };
  /**
   * A copy of a large image fitted for the screen (made when it entered the store, sealed beside it;
   * only for an image larger than the copy): the stage shows it while each of its pixels covers at
   * least one device pixel, the original past that. Derived, never evidence.
   */
  screen?: { url: string; width: number; height: number };
  stored?: { mimeType: string | null; size: number; sha256: string | null; noContent: boolean; fetchedAt: string };
}

export interface DocumentFieldsView {
  resourceId?: string;
  label: string;
  /** The authoritative document fields JSON (flat, as Yoti sends it), or null when none is stored. */
  fields: Record<string, unknown> | null;
  source: 'TEXT_DATA_CHECK' | 'RESOURCE' | 'NONE';
  mrz?: MrzVerification;
}

export interface SessionJsonView {
  /** Pretty-printed (two spaces), exactly the stored JSON's values apart from the masked ones. */
  text: string;
  /** Strings masked (0 when revealed). */
  masked: number;
  revealed: boolean;
  size: number;
  sha256: string;
  fetchedAt: string;
}

export interface SeenBeforeView {
  sessionId: string;
  match: 'SAME_DOCUMENT' | 'SAME_PERSON';
  fetchedAt?: string;
  decision?: Decision;
}

export interface ReasonOption {
  code: string;
  /** Short enough to scan. */
  label: string;
  /** The full text (shown on expand). */
  text: string;
  category: ReasonCategory;
  kind: ReasonKind;
  /** 'yoti' for Yoti's own reason codes, 'reviewer' for the console's catalogue. */
  source: 'yoti' | 'reviewer';
  /** Yoti's codes with the same meaning (a check reporting one of them suggests this reason). */
  aliases: string[];
}

export interface ReviewView {
  sessionId: string;
  versionId?: string;
  status: 'NONE' | 'DRAFT' | 'CONFIRMED';
  decision?: Decision;
  reasonCodes: string[];
  notes: string;
  checkVerdicts: Array<{ checkId: string; verdict: 'AGREE' | 'OVERRIDE'; note: string }>;
  reviewer?: { name?: string; osAccount: string };
  firstOpenedAt?: string;
  decidedAt?: string;
  savedAt?: string;
  timeOnTaskSeconds?: number;
  /** Active time the app measured on this decision (focused, visible, input within the last minute); absent when not measured. */
  activeSeconds?: number;
  /** Earlier versions, newest first (a confirmed decision is never overwritten). */
  history: Array<{ versionId: string; status: 'DRAFT' | 'CONFIRMED'; decision?: Decision; savedAt: string }>;
  manifestHash?: string;
  /** A confirmed decision: the face-match threshold in force when it was made (the session is shown with it). */
  faceMatchThreshold?: number;
  /** A confirmed decision: what it was made against and every override given (decisionContextLines words it). */
  context?: DecisionContext;
  /** Team mode, on the answer to confirmDecision only: what became of the decision in the team database. */
  team?: { sent: boolean; awaitingCountersign: boolean; conflict: boolean };
}

/** What confirming a decision would need now, and what it would record. */
export interface DecisionCheckView {
  /** Empty when the decision can be confirmed as it is. */
  unmet: UnmetRule[];
  context: DecisionContext;
}

export interface SessionView {
  sessionId: string;
  stored: { fetchedAt: string; apiUrl: string; sdkId: string; retainUntil?: string };
  summary: SessionSummary;
  media: MediaView[];
  documents: DocumentFieldsView[];
  seenBefore: SeenBeforeView[];
  review: ReviewView;
  /** Problems reading the local copy (damaged items), in words. */
  cacheProblems: string[];
}

/** One evidence item the decision rested on, as the audit log recorded it before the evidence was deleted. */
export interface DeletedItemView {
  /** "Session JSON", or the media id. */
  what: string;
  mimeType: string | null;
  size: number;
  /** null for an item Yoti had no content for. */
  sha256: string | null;
}

/**
 * A session whose evidence was deleted (at Yoti, locally or by the purge): its review record, which
 * stays, and from the audit log what the evidence was. Opening it records nothing.
 */
export interface RecordView {
  sessionId: string;
  evidenceDeleted: EvidenceDeletion & { words: string };
  /** Where the evidence was fetched from, as the log recorded it. */
  fetched?: { at: string; apiUrl?: string; sdkId?: string };
  /** The evidence manifest the decision rested on (or the last before the deletion). */
  manifest?: { manifestHash: string; items: DeletedItemView[] };
  review: ReviewView;
  /** Until when the record itself is kept (the record retention). */
  recordKeptUntil?: string;
  /** The record's files changed outside the app (against the audit log), in words: export is refused. */
  changedOutsideApp: string[];
}

export interface SaveResult {
  cancelled: boolean;
  size?: number;
  sha256?: string;
}

export interface ExportResult {
  cancelled: boolean;
  sha256?: string;
  pages?: number;
  draft?: boolean;
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  /** The first entry or file that does not match, in words. */
  firstProblem?: string;
}

/** A session's standing in the team database, as the team panel lists it. */
export interface TeamSessionView {
  sessionId: string;
  versionId: string | null;
  reviewer: string | null;
  decision: string | null;
  /** Conflicts only: the version this one was made without seeing, who made it and what they decided. */
  conflictsWith?: { versionId: string; reviewer: string | null; decision: string | null };
}

/** Team mode as this workstation sees it; `joined: false` without a team database (everything works alone). */
export type TeamView =
  | { joined: false }
  | {
      joined: true;
      /** role@host:port/database */
      connection: string;
      /** The same as a URL without its password (postgres://role@host:port/database): joining again starts from it. */
      url: string;
      /** Decisions confirmed here and not yet in the team database. */
      outboxPending: number;
      reachable: false;
      /** Why the team database could not be used, in words. */
      problem: string;
    }
  | {
      joined: true;
      connection: string;
      url: string;
      outboxPending: number;
      reachable: true;
      role: string;
      supervisor: boolean;
      /** Sent from the outbox while this view was made. */
      sentNow: number;
      counts: { open: number; claimed: number; awaitingCountersign: number; inConflict: number; final: number };
      claims: Array<{ sessionId: string; claimedBy: string; leaseUntil: string }>;
      /** Other reviewers' decisions waiting for this reviewer's countersignature, oldest first. */
      awaitingYou: TeamSessionView[];
      conflicts: TeamSessionView[];
      /** Supervisors: decided today per reviewer. */
      reviewersToday?: Array<{ reviewer: string; decided: number; compared: number; agreed: number; medianActiveMs: number | null }>;
    };

/** What each call resolves to. */
export interface Results {
  getAppState: AppState;
  updateSettings: SettingsView;
  importKeyWithDialog: { cancelled: boolean; key?: KeyView };
  removeKey: { removed: boolean };
  chooseCaFileWithDialog: { cancelled: boolean; certificates?: number; sha256?: string };
  startDemo: { apiUrl: string; sdkId: string; sessionIds: string[] };
  stopDemo: { stopped: boolean };
  listSessions: QueueRow[];
  addSessions: AddSessionsResult;
  importSessionsCsvWithDialog: AddSessionsResult & { cancelled: boolean };
  fetchSession: FetchResult;
  removeSessionLocally: { removed: boolean };
  openSession: SessionView;
  markSessionOpened: ReviewView;
  openRecord: RecordView;
  getSessionJson: SessionJsonView;
  deleteRecord: { deleted: boolean };
  saveMediaWithDialog: SaveResult;
  recordEvidenceViewed: { recorded: boolean };
  listReasonCodes: ReasonOption[];
  saveReviewDraft: ReviewView;
  checkDecision: DecisionCheckView;
  confirmDecision: ReviewView;
  deleteAtYoti: { deleted: boolean };
  exportReportWithDialog: ExportResult;
  verifyAudit: AuditVerifyResult;
  getTeamView: TeamView;
  joinTeam: TeamView;
  claimNextTeamSession: { sessionId: string | null };
  countersignTeamDecision: { versionId: string; author: string; decision: string };
}

/** The API the preload exposes as `window.api`: one function per call, plus event subscription. */
export type Api = { [C in Channel]: (args: Args<C>) => Promise<Result<Results[C]>> } & {
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
};

// ---- Events main pushes to the renderer ----------------------------------------------------------

export interface Events {
  'fetch-progress': { sessionId: string; done: number; total: number };
  'online-changed': ApiReachability;
  'session-updated': { sessionId: string };
  /** Menu items and global shortcuts handled by the page. */
  'menu-command': { command: MenuCommand };
}
export type EventName = keyof Events;
export const EVENT_NAMES: readonly EventName[] = ['fetch-progress', 'online-changed', 'session-updated', 'menu-command'];
export type MenuCommand =
  | 'next-undecided'
  | 'add-sessions'
  | 'export-report'
  | 'open-settings'
  | 'show-shortcuts'
  | 'zoom-in'
  | 'zoom-out'
  | 'zoom-fit'
  | 'zoom-actual'
  | 'rotate'
  | 'compare';

/** IPC channel names on the wire: one namespace, so nothing else can be invoked. */
export const ipcChannel = (c: Channel): string => `idv:${c}`;
export const ipcEvent = (e: EventName): string => `idv-event:${e}`;
