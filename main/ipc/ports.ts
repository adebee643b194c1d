/**
 * What the handler table needs from the outside world, as interfaces. The Electron shell
 * (main/shell) and the test bridge (main/browser-bridge/bridge.ts) supply the I/O ports (dialogs, events,
 * the no-network signal, media URL base); compose.ts supplies the rest over the real services, the stores'
 * ports through offline-ports.ts (the offline store: cache, review records, audit log, retention,
 * seen before, all behind one lock).
 */
import type { FlushOutcome, TeamService } from '../core/team/team-service';
import type { EvidenceDeletion } from '../../common/review/evidence-deletion';
import type { AuditEventType } from '../core/audit/audit-log';
import type { VerifiedEvidence } from '../core/audit/verify';
import type { JsonObject } from '../core/audit/canonical';
import type { RedactProfile } from '../core/report/redaction';
import type { KeyVault } from '../core/keys/key-vault';
import type { Settings } from '../core/settings';
import type { DeletedEvidence } from '../core/store/offline-store';
import type { SessionStore } from '../core/store/session-store';
import type { MediaUrl } from '../core/store/media-view';
import type { IdvClient, IdvClientOptions } from '../core/yoti/client';
import type { RequestOutcome } from '../core/yoti/http';
import type {
  ApiReachability,
  AuditVerifyResult,
  Channel,
  DecisionCheckView,
  EventName,
  Events,
  ParsedArgs,
  QueueRow,
  ReasonOption,
  Result,
  Results,
  ReviewView,
  SeenBeforeView,
  SessionJsonView,
} from '../../common/ipc/contract';
import type { MediaRegistry } from './media-registry';
import type { SessionQueue } from './queue';

// ---- the handler table ---------------------------------------------------------------------------

/** Who is calling. In Electron the sender's webContents id (already checked by the shell); 0 in the bridge. */
export interface CallContext {
  senderId: number;
}

export type Handler<C extends Channel> = (rawArgs: unknown, ctx: CallContext) => Promise<Result<Results[C]>>;
export type Handlers = { readonly [C in Channel]: Handler<C> };

// ---- I/O ports -----------------------------------------------------------------------------------

/**
 * Native dialogs. Paths are chosen by the person in main and never reach the renderer (threat T4):
 * the port returns contents, or hands the chosen path to main's own writer.
 */
export interface DialogsPort {
  /** Lets the person pick a PEM file; main reads it (size-capped). null when cancelled. */
  openPem(): Promise<Buffer | null>;
  /** Lets the person pick a CSV file; main reads it as UTF-8 (size-capped). null when cancelled. */
  openCsv(): Promise<string | null>;
  /** Lets the person pick a CA certificate bundle; the path stays in main (settings.extraCaFile). null when cancelled. */
  openCaBundle(): Promise<string | null>;
  /**
   * Lets the person choose where to save, then has main's `write` put the file there (the path never
   * leaves main). false when cancelled.
   */
  saveFile(suggestedName: string, write: (path: string) => Promise<void>): Promise<boolean>;
  /**
   * A native confirmation for irreversible actions (deletion at Yoti), so that a compromised page
   * cannot delete on its own. true only when the person chose `confirmLabel`.
   */
  confirm(question: ConfirmQuestion): Promise<boolean>;
}

export interface ConfirmQuestion {
  title: string;
  message: string;
  detail?: string;
  confirmLabel: string;
}

/** Pushes an event to the app's window(s). Only the contract's events exist. */
export interface EventsPort {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
}

export interface Clock {
  now(): Date;
}

/** Whether the configured API answers (main/core/yoti/reachability.ts). */
export interface ReachabilityPort {
  /** What getAppState reports. */
  current(): Promise<ApiReachability>;
  /** One attempt of a request to `apiUrl`: answered (any status) or not. */
  record(apiUrl: string, outcome: RequestOutcome): void;
  /** Where requests go may have changed (settings, the demo server): look again now. */
  refresh(): void;
}

export interface SettingsPort {
  load(): Promise<Settings>;
  save(settings: Settings): Promise<void>;
}

/** Redacted, one-line diagnostics (never PII, keys or signed URLs; see errors.ts). */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface DemoStatus {
  running: boolean;
  apiUrl?: string;
  sdkId?: string;
}

/** The local Yoti-compatible server, run in process with the demo key (see demo-controller.ts). */
export interface DemoController {
  status(): DemoStatus;
  /** Starts the server (once), and points the app's apiUrl setting at it. */
  start(): Promise<Results['startDemo']>;
  /**
   * Stops the server. By default the apiUrl setting goes back to what it was before start() (if it
   * still names the demo server); `keepApiUrl` leaves it pointing at the stopped server (tests
   * simulating an unreachable API).
   */
  stop(options?: { keepApiUrl?: boolean }): Promise<boolean>;
}

/** One fetch of a session and its media into the local store. */
export interface FetchRequest {
  client: IdvClient;
  sessionId: string;
  sdkId: string;
  apiUrl: string;
  /** Fetch again even when a stored copy is COMPLETED (or EXPIRED). */
  force: boolean;
  onProgress: (progress: Events['fetch-progress']) => void;
}

export interface FetchReport {
  state?: string;
  mediaTotal: number;
  mediaSaved: number;
  mediaNoContent: number;
  mediaFailed: Array<{ mediaId: string; code: string; message: string }>;
  /** A stored copy in a final state was kept (nothing, or only missing media, was fetched). */
  keptCached: boolean;
}

/** How a fetch is written locally: one audited, locked step of the offline store (it records its own audit entry). */
export interface SyncPort {
  fetch(request: FetchRequest): Promise<FetchReport>;
}

/** What is stored about one session, for its queue row. */
export type StoredRow = Omit<QueueRow, 'addedAt'>;

/** The local copies, how long they are kept, and their deletion (each deletion records its own audit entry). */
export interface LocalCopiesPort {
  /**
   * Every stored session and record: state, Yoti's recommendation, decision in force, retain-until,
   * cache health; warnings counted under the face-match threshold in force; the URL of the image each
   * session opens on.
   */
  list(now: Date, opts: { faceMatchThreshold: number; mediaUrl: MediaUrl }): Promise<StoredRow[]>;
  /** The session's evidence (its review record stays); true if anything was there. */
  deleteSession(sessionId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean>;
  deleteMedia(sessionId: string, mediaId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean>;
  /** The retain-until date in force (ISO 8601), or undefined when the session is not stored. */
  retainUntil(sessionId: string): Promise<string | undefined>;
  /**
   * What of the session's files was changed outside the app (against the audit log), in words; empty
   * when nothing. `verified`: what the caller decrypted and checked itself just now, not decrypted again.
   */
  integrity(sessionId: string, verified?: VerifiedEvidence): Promise<string[]>;
  /** When, how and by whom the session's evidence was deleted (null when it was not, or was fetched again). */
  evidenceDeletion(sessionId: string): Promise<EvidenceDeletion | null>;
  /** What the log keeps of deleted evidence: the deletion, the fetch, the manifest `decidedOn` (null when not deleted). */
  deletedEvidence(sessionId: string, decidedOn?: string): Promise<DeletedEvidence | null>;
  /** Until when the session's review record is kept (null when there is none). */
  recordKeptUntil(sessionId: string): Promise<string | null>;
  /** The review record (every version) and any evidence still stored; the audit log keeps its entries. True if anything was there. */
  deleteRecord(sessionId: string): Promise<boolean>;
  /** Yoti's session JSON as stored, pretty-printed; personal values masked unless `reveal`. Throws NOT_CACHED when not stored. */
  sessionJson(sessionId: string, reveal: boolean): Promise<SessionJsonView>;
}

// ---- reviews, audit, report, seen before ------------------------------------------------------------

/**
 * Review records (main/core/review). Every write is recorded in the audit log by the store itself,
 * with the reviewer (settings.reviewerName and the OS account) and the time. Errors are AppErrors
 * with words; the handler maps them.
 */
export interface ReviewsPort {
  /** The current record of a session; status 'NONE' (and an empty history) when there is none. */
  get(sessionId: string): Promise<ReviewView>;
  saveDraft(input: ParsedArgs<'saveReviewDraft'>): Promise<ReviewView>;
  /** What confirming would need now (the guardrails), saving nothing. */
  checkDecision(input: ParsedArgs<'checkDecision'>): Promise<DecisionCheckView>;
  /** Refuses to change a confirmed decision unless `supersede` is set (then a new linked version), and while a guardrail is unmet. */
  confirmDecision(input: ParsedArgs<'confirmDecision'>): Promise<ReviewView>;
  recordEvidenceViewed(input: ParsedArgs<'recordEvidenceViewed'>): Promise<void>;
  /** Called by openSession: records the opening (time on task starts at the first one). */
  markOpened(sessionId: string): Promise<void>;
  listReasonCodes(): Promise<ReasonOption[]>;
}

/**
 * The events the handler table records itself. Fetches, openings, views, review saves and local
 * deletions are recorded by the offline store as part of the change they describe.
 */
export type AuditAction = Extract<
  AuditEventType,
  | 'key.imported'
  | 'key.removed'
  | 'settings.changed'
  | 'demo.started'
  | 'demo.stopped'
  | 'sessions.added'
  | 'sessions.removed'
  | 'media.exported'
  | 'remote.deleted'
  | 'report.exported'
  | 'team.joined'
>;

/** Team mode (core/team): the service, and the outbox sent with each submission audited by the offline store. */
export interface TeamPort {
  /** Loaded on first use; its `connection()` is null until this workstation joins a team database. */
  service(): Promise<TeamService>;
  sendOutbox(): Promise<FlushOutcome>;
}

/** One audit entry as the handler table knows it: ids, codes, counts and hashes only, never PII. */
export interface AuditEntryInput {
  action: AuditAction;
  sessionId?: string;
  details?: Record<string, string | number | boolean | null>;
}

/** The hash-chained audit log (main/core/audit); the person and the time are added by the log. */
export interface AuditPort {
  append(entry: AuditEntryInput): Promise<void>;
  verify(): Promise<AuditVerifyResult>;
}

export interface ReportFile {
  /** The export's id, printed in the PDF and recorded with its audit entry. */
  reportId: string;
  bytes: Uint8Array;
  /** Hex sha256 of `bytes`. */
  sha256: string;
  pages: number;
  /** The session has no confirmed decision: the report says DRAFT. */
  draft: boolean;
  /** A file name without a directory, e.g. `review-<sessionId>.pdf`. */
  suggestedName: string;
  /** The data to record as the export's `report.exported` audit entry (the only place a redacted export's commitment key is kept). */
  auditData: JsonObject;
}

/** The PDF review record (main/core/report). */
export interface ReportsPort {
  export(sessionId: string, redact: RedactProfile): Promise<ReportFile>;
}

/** Earlier sessions of the same document or person (main/core/seen-before). */
export interface SeenBeforePort {
  find(sessionId: string): Promise<SeenBeforeView[]>;
  /** The matches of every stored session that has any, by session id. */
  all(): Promise<Map<string, SeenBeforeView[]>>;
}

// ---- everything together -------------------------------------------------------------------------

export interface Services {
  /** The data folder (settings, keys, cache, queue). Never sent to the renderer. */
  dataDir: string;
  appVersion: string;
  /** Operating-system account, recorded with every action. */
  osAccount: string;
  vault: KeyVault;
  /** The encrypted cache (inside the offline store); opening it needs the keychain, so it is opened on first use. */
  store(): Promise<SessionStore>;
  /** The reviewer's list of sessions to work on (sealed with the cache key). */
  queue(): Promise<SessionQueue>;
  sync: SyncPort;
  local: LocalCopiesPort;
  settings: SettingsPort;
  dialogs: DialogsPort;
  clock: Clock;
  reachability: ReachabilityPort;
  events: EventsPort;
  media: MediaRegistry;
  demo: DemoController;
  reviews: ReviewsPort;
  audit: AuditPort;
  reports: ReportsPort;
  seenBefore: SeenBeforePort;
  log: Logger;
  team: TeamPort;
  /** Client tuning (tests shorten timeouts and retries). Never the base URL: that comes from the settings. */
  clientOptions?: Pick<IdvClientOptions, 'timeouts' | 'retry' | 'mediaConcurrency' | 'maxMediaBytes' | 'maxSessionBytes'>;
}
