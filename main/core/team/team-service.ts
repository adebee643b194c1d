import pg from 'pg';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import type { SecretStore } from '../keys/secret-store';
import type { DecidedOver } from '../../../common/review/guardrails';
import type { ReviewVersion } from '../review/record';
import type { Settings } from '../settings';
import {
  describeTeamConnection,
  isUnreachable,
  parseTeamUrl,
  teamClientConfig,
  teamKeychainAccount,
  TeamUnreachableError,
  type TeamConnection,
} from './connection';
import { schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import { TeamOutbox, type OutboxItem } from './outbox';
import { TeamDb, type SubmitOutcome, type TeamVersion } from './team-db';

export interface TeamServiceDeps {
  dataDir: string;
  settings: () => Promise<Settings>;
  saveSettings: (settings: Settings) => Promise<void>;
  secrets: SecretStore;
  /** KeyVault.subkey('team'): seals the outbox. */
  outboxKey: () => Promise<Buffer>;
  /** Extra certificate authorities a person chose (settings.extraCaFile), for a database behind a corporate CA. */
  extraCa: () => Promise<string | undefined>;
  now?: () => Date;
}

/** How long a note of a decision being confirmed waits for its version before it is taken as refused. */
const PENDING_GRACE_MS = 5 * 60_000;

/** The review store as the outbox reads it: one version, and a session's decision in force. */
export interface LocalVersions {
  read(sessionId: string, seq: number): Promise<ReviewVersion | null>;
  decided(sessionId: string): Promise<ReviewVersion | null>;
}

export interface FlushOutcome {
  submitted: Array<{ item: OutboxItem } & SubmitOutcome>;
  /** Taken out unsent: the local version is no longer in the review store (its record was deleted), in words. */
  unsendable: Array<{ item: OutboxItem; why: string }>;
  /** Left in the outbox: the database is away (the rest wait behind the first, in order). */
  pending: number;
  offline: boolean;
}

/** What a decision in team mode is made on: the team version the reviewer has seen, or none. */
export interface DecisionBase {
  baseVersionId: string | null;
  /** The team database could not be asked: the base is the version this workstation's decision replaced. */
  offline: boolean;
  /** The other reviewer's version decided over, and why (null: none). */
  over: DecidedOver | null;
}

/**
 * This workstation's link to the team database: joining it (the connection in settings, the password
 * in the keychain), one connection per operation, and the outbox that carries decisions made offline.
 * Without a team connection in settings nothing here runs and the app works on its own, as before.
 */
export class TeamService {
  constructor(private readonly deps: TeamServiceDeps) {}

  /** The extra certificate authorities a person chose in settings, if any (for a server behind a corporate CA). */
  extraCa(): Promise<string | undefined> {
    return this.deps.extraCa();
  }

  async connection(): Promise<TeamConnection | null> {
    return (await this.deps.settings()).team ?? null;
  }

  /**
   * Joins the team database named by `url` as its login role: the login, the schema version and
   * the role's membership are checked before anything is kept; then the password goes to the OS
   * keychain and the connection (without it) to settings.
   */
  async join(url: string, passwordGiven: string | null): Promise<{ connection: TeamConnection; role: string; supervisor: boolean }> {
    const { connection, password: inUrl } = parseTeamUrl(url);
    const password = passwordGiven ?? inUrl;
    if (password === null || password === '') {
      throw new UsageError('TEAM_PASSWORD_MISSING', 'Give the role\'s password (--password-stdin, or in the URL once): it is kept in the OS keychain, never in settings.');
    }
    const who = await withTeamClient(connection, password, await this.deps.extraCa(), async (client) => {
      const version = await schemaVersion(client);
      if (version < MIGRATIONS.length) {
        throw new LocalError('TEAM_SCHEMA_OLD', `The team database is at schema version ${version}; this build needs ${MIGRATIONS.length}. An admin runs: idv-review team migrate --db URL`);
      }
      if (version > MIGRATIONS.length) throw new LocalError('TEAM_SCHEMA_NEWER', `The team database is at schema version ${version}, newer than this build knows (${MIGRATIONS.length}): update IDV Review Console on this workstation.`);
      const r = await client.query("SELECT pg_has_role(session_user, 'idv_reviewer', 'MEMBER') AS reviewer");
      if ((r.rows[0] as { reviewer?: boolean } | undefined)?.reviewer !== true) {
        throw new UsageError('TEAM_NOT_A_REVIEWER', `The role ${connection.user} is not granted idv_reviewer or idv_supervisor in the team database.`);
      }
      return new TeamDb(client).role();
    });
    await this.deps.secrets.set(teamKeychainAccount(connection), password);
    await this.deps.saveSettings({ ...(await this.deps.settings()), team: connection });
    return { connection, ...who };
  }

  /** Runs `fn` on a fresh connection as this workstation's role; TeamUnreachableError when the database is away. */
  async db<T>(fn: (db: TeamDb) => Promise<T>): Promise<T> {
    const connection = await this.connection();
    if (connection === null) throw new UsageError('TEAM_NOT_JOINED', 'This workstation has not joined a team database: idv-review team connect --db URL');
    const password = await this.deps.secrets.get(teamKeychainAccount(connection));
    if (password === null) throw new LocalError('TEAM_PASSWORD_GONE', `The password for ${describeTeamConnection(connection)} is not in the OS keychain: join the team database again (Settings, Team database; CLI: idv-review team connect).`);
    return withTeamClient(connection, password, await this.deps.extraCa(), (client) => fn(new TeamDb(client)));
  }

  /**
   * The team version a decision is made on. Online: the newest team version of the session; when it
   * is another reviewer's, the decision is refused unless the reviewer says why they decide otherwise
   * (`changeReason`), so nobody decides over a colleague without having seen it. Offline: the
   * version this workstation's previous decision replaced (the database flags a conflict when another
   * reviewer's arrived meanwhile).
   */
  async decisionBase(sessionId: string, changeReason: string | undefined): Promise<DecisionBase> {
    const why = changeReason?.trim() === '' ? undefined : changeReason?.trim();
    try {
      return await this.db(async (db) => {
        const state = await db.sessionState(sessionId);
        const me = await db.role();
        if (state?.version_id == null || state.reviewer === me.role) return { baseVersionId: state?.version_id ?? null, offline: false, over: null };
        if (why === undefined) {
          throw new UsageError(
            'TEAM_DECIDED_BY_ANOTHER',
            `Not recorded: ${state.reviewer ?? 'another reviewer'} already decided ${state.decision ?? ''} on session ${sessionId} in the team database. To decide otherwise, give the reason for the change (CLI: --supersede WHY).`,
          );
        }
        return { baseVersionId: state.version_id, offline: false, over: { reviewer: state.reviewer ?? 'another reviewer', decision: state.decision ?? '', reason: why } };
      });
    } catch (err) {
      if (!(err instanceof TeamUnreachableError)) throw err;
      return { baseVersionId: null, offline: true, over: null };
    }
  }

  /**
   * Notes, before the local confirmation, that a decision on the session is being confirmed: if the
   * process ends before enqueue, the next flush finds the confirmed version and sends it.
   */
  async expect(sessionId: string, base: DecisionBase): Promise<void> {
    await (await this.outbox()).put({ sessionId, seq: null, versionId: null, baseVersionId: base.baseVersionId, overReason: base.over?.reason ?? null, queuedAt: this.nowIso() });
  }

  /** The confirmation was refused: nothing to send. */
  async forget(sessionId: string): Promise<void> {
    await (await this.outbox()).remove({ sessionId, versionId: null });
  }

  /** Queues a confirmed version for the team database (flush sends it, after everything queued before it). */
  async enqueue(version: ReviewVersion, base: DecisionBase): Promise<void> {
    await (await this.outbox()).put(this.itemOf(version, base.offline ? version.supersedes : base.baseVersionId, base.over?.reason ?? null));
  }

  /** Sends what waits in the outbox, oldest first, stopping (keeping the rest) when the database is away. */
  async flush(local: LocalVersions): Promise<FlushOutcome> {
    const outbox = await this.outbox();
    const items = await outbox.items();
    if (items.length === 0) return { submitted: [], unsendable: [], pending: 0, offline: false };
    try {
      return await this.db(async (db) => {
        const outcome: FlushOutcome = { submitted: [], unsendable: [], pending: 0, offline: false };
        for (const queued of items) {
          const item = queued.versionId === null ? await this.confirmedSince(queued, local, items) : queued;
          // A confirmation may still be under way (another window, the command line): its note stays a while.
          if (item === null && this.nowMs() - Date.parse(queued.queuedAt) < PENDING_GRACE_MS) {
            outcome.pending++;
            continue;
          }
          const version = item?.seq == null ? null : await local.read(item.sessionId, item.seq);
          if (item !== null && (version?.versionId !== item.versionId || version.status !== 'CONFIRMED')) {
            outcome.unsendable.push({ item, why: `version ${item.seq ?? '?'} of session ${item.sessionId} is no longer in the review store as it was` });
          } else if (item !== null && version !== null) {
            outcome.submitted.push({ item, ...(await db.submitVersion(teamVersionOf(version, item))) });
          }
          await outbox.remove(queued);
        }
        return outcome;
      });
    } catch (err) {
      if (!(err instanceof TeamUnreachableError)) throw err;
      return { submitted: [], unsendable: [], pending: (await outbox.items()).length, offline: true };
    }
  }

  /** A pending decision's version: the session's decision in force when it was confirmed after the note (else there is none to send). */
  private async confirmedSince(pending: OutboxItem, local: LocalVersions, items: readonly OutboxItem[]): Promise<OutboxItem | null> {
    const decided = await local.decided(pending.sessionId);
    if (decided?.decidedAt == null || decided.decidedAt < pending.queuedAt || items.some((i) => i.versionId === decided.versionId)) return null;
    return this.itemOf(decided, pending.baseVersionId ?? decided.supersedes, pending.overReason);
  }

  private itemOf(version: ReviewVersion, baseVersionId: string | null, overReason: string | null): OutboxItem {
    return { sessionId: version.sessionId, seq: version.seq, versionId: version.versionId, baseVersionId, overReason, queuedAt: this.nowIso() };
  }

  private nowIso(): string {
    return new Date(this.nowMs()).toISOString();
  }

  private nowMs(): number {
    return (this.deps.now?.() ?? new Date()).getTime();
  }

  async pending(): Promise<OutboxItem[]> {
    return (await this.outbox()).items();
  }

  private outboxPromise?: Promise<TeamOutbox>;
  private outbox(): Promise<TeamOutbox> {
    this.outboxPromise ??= this.deps.outboxKey().then((key) => new TeamOutbox(this.deps.dataDir, key));
    return this.outboxPromise;
  }
}

/**
 * Runs `fn` on a fresh connection (closed after), with the connection's TLS rule; a database that is
 * away becomes TeamUnreachableError, a refused login a sentence that says what to do.
 */
export async function withTeamClient<T>(connection: TeamConnection, password: string, ca: string | undefined, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(teamClientConfig(connection, password, ca));
  // A connection dropped mid-operation surfaces as the query's error; this keeps it from also crashing the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw connectError(connection, err);
  }
  try {
    return await fn(client);
  } catch (err) {
    if (isUnreachable(err)) throw new TeamUnreachableError(describeTeamConnection(connection), { cause: err });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function connectError(connection: TeamConnection, err: unknown): AppError {
  if (isUnreachable(err)) return new TeamUnreachableError(describeTeamConnection(connection), { cause: err });
  const e = err as { code?: string; message?: string };
  if (e.code === '28P01' || e.code === '28000') {
    return new AppError('TEAM_LOGIN_REFUSED', `The team database refused the login of ${connection.user}: a wrong password, or the role was removed. Join again with the right password (Settings, Team database; CLI: idv-review team connect).`, 'remote', { cause: err });
  }
  if (e.code === '3D000') return new AppError('TEAM_DATABASE_MISSING', `There is no database ${connection.database} on ${connection.host}.`, 'remote', { cause: err });
  return new AppError('TEAM_CONNECT_FAILED', `Cannot connect to the team database ${describeTeamConnection(connection)}: ${e.message ?? 'unknown error'}.`, 'remote', { cause: err });
}

/** The team database's view of a confirmed version: the decision and the reviewer's words, no evidence. */
export function teamVersionOf(v: ReviewVersion, made: Pick<OutboxItem, 'baseVersionId' | 'overReason'>): TeamVersion {
  if (v.decision === null || v.decidedAt === null || v.manifestHash === null) {
    throw new LocalError('TEAM_VERSION_UNCONFIRMED', `Version ${v.seq} of session ${v.sessionId} is not a confirmed decision.`);
  }
  const c = v.context;
  const overrides = Object.fromEntries(
    Object.entries({
      beforeComplete: c?.beforeComplete,
      overridesYoti: c?.overridesYoti,
      contradictedReasons: c?.contradictedReasons?.map((r) => r.code),
      unviewed: c?.unviewed?.length,
      changeReason: c?.changeReason,
      decidedOverAnother: made.overReason ?? undefined,
    }).filter(([, value]) => value !== undefined),
  );
  return {
    versionId: v.versionId,
    sessionId: v.sessionId,
    decision: v.decision,
    reasons: v.reasons.map((r) => r.code),
    notes: v.notes,
    verdicts: v.checkVerdicts.map(({ checkId, verdict, note }) => ({ checkId, verdict, note })),
    overrides,
    manifestSha256: v.manifestHash,
    yotiResult: c?.yotiResult ?? 'UNKNOWN',
    baseVersionId: made.baseVersionId,
    decidedAt: v.decidedAt,
    timeOnTaskMs: v.timeOnTaskMs,
    activeMs: v.activeMs ?? null,
  };
}
