import { createHash } from 'node:crypto';
import type pg from 'pg';
import * as z from 'zod';
import { AppError, UsageError } from '../../../common/errors';
import { DECISIONS } from '../../../common/review/decisions';
import { assertYotiId } from '../../../common/yoti-ids';

/** A confirmed decision as the team database holds it: no images, no document data. */
export const TeamVersionSchema = z
  .object({
    versionId: z.uuid(),
    sessionId: z.string().max(64),
    decision: z.enum(DECISIONS),
    reasons: z.array(z.string().max(100)).max(50),
    notes: z.string().max(200_000),
    verdicts: z.array(z.object({ checkId: z.string().max(128), verdict: z.enum(['AGREE', 'OVERRIDE']), note: z.string().max(5000) }).strict()).max(200),
    overrides: z.record(z.string(), z.unknown()),
    manifestSha256: z.string().regex(/^[0-9a-f]{64}$/),
    yotiResult: z.string().max(40),
    baseVersionId: z.uuid().nullable(),
    decidedAt: z.string().max(64),
    timeOnTaskMs: z.number().int().nonnegative().nullable(),
    activeMs: z.number().int().nonnegative().nullable(),
  })
  .strict();
export type TeamVersion = z.infer<typeof TeamVersionSchema>;

const SessionStateRow = z.object({
  /** Conflicts only: who made the version this one was made without seeing, and what they decided. */
  other_reviewer: z.string().nullable().optional(),
  other_decision: z.string().nullable().optional(),
  session_id: z.string(),
  priority: z.number(),
  claimed_by: z.string().nullable(),
  lease_until: z.date().nullable(),
  version_id: z.string().nullable(),
  reviewer: z.string().nullable(),
  decision: z.string().nullable(),
  requires_countersign: z.boolean().nullable(),
  countersigned_by: z.string().nullable(),
  conflicts_with: z.string().nullable(),
  final: z.boolean(),
});
export type SessionState = z.infer<typeof SessionStateRow>;

const SubmittedRow = z.object({ requires_countersign: z.boolean(), conflicts_with: z.string().nullable() });
const StoredVersionRow = SubmittedRow.extend({ session_id: z.string(), reviewer: z.string(), decision: z.string(), manifest_sha256: z.string() });
const AuditRow = z.object({ seq: z.string(), at: z.date(), actor: z.string(), action: z.string(), session_id: z.string().nullable(), detail: z.unknown(), entry: z.string(), prev_hash: z.instanceof(Buffer), hash: z.instanceof(Buffer) });
const ReviewerFiguresRow = z.object({ reviewer: z.string(), decided: z.number(), compared: z.number(), agreed: z.number(), median_active_ms: z.number().nullable() });
const CountsRow = z.object({ open: z.number(), claimed: z.number(), awaiting_countersign: z.number(), in_conflict: z.number(), final: z.number() });

export interface SubmitOutcome {
  /** False when this version id had been submitted before (an outbox retried): nothing was written. */
  written: boolean;
  requiresCountersign: boolean;
  /** The version that had arrived since the one the reviewer saw: both are kept, the session is in conflict. */
  conflictsWith: string | null;
}

export interface TeamFigures {
  counts: z.infer<typeof CountsRow>;
  /** Decided today (by the database's clock) per reviewer; agreement counts only sessions where Yoti recommended APPROVE or REJECT. */
  reviewers: Array<z.infer<typeof ReviewerFiguresRow>>;
}

export interface AuditCheck {
  entries: number;
  /** The first entry that does not follow from the one before it, or null. */
  brokenAt: number | null;
  problem: string | null;
}

/** The database's refusals in words a reviewer can act on; anything else is passed on as it is. */
function refusal(err: unknown): never {
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23514' && e.constraint === 'four_eyes') {
    throw new AppError('TEAM_FOUR_EYES', 'You cannot countersign your own decision: a second reviewer must.', 'remote', { cause: err });
  }
  if (e.code === '42501') throw new AppError('TEAM_NOT_ALLOWED', `The team database refused this for your role (${e.message ?? 'permission denied'}).`, 'remote', { cause: err });
  throw err;
}

/**
 * The team's shared state through one connection, as the connected login role. Each operation is one
 * transaction; the database enforces the rules (claims, four eyes, who may write what), this class
 * asks and says what happened.
 */
export class TeamDb {
  constructor(private readonly client: pg.ClientBase) {}

  async role(): Promise<{ role: string; supervisor: boolean }> {
    const r = await this.client.query("SELECT session_user::text AS role, pg_has_role(session_user, 'idv_supervisor', 'MEMBER') AS supervisor");
    return z.object({ role: z.string(), supervisor: z.boolean() }).parse(r.rows[0]);
  }

  /** Adds sessions to the team queue in this reviewer's name; ones already queued are left as they are. */
  async addToQueue(sessionIds: readonly string[], priority = 0): Promise<{ added: string[]; alreadyQueued: string[] }> {
    const ids = [...new Set(sessionIds.map((id) => assertYotiId(id, 'session ID')))];
    const r = await this.client.query('INSERT INTO idv_team.queue (session_id, priority) SELECT unnest($1::text[]), $2 ON CONFLICT (session_id) DO NOTHING RETURNING session_id', [ids, priority]).catch(refusal);
    const added = new Set(r.rows.map((row: { session_id: string }) => row.session_id));
    return { added: ids.filter((id) => added.has(id)), alreadyQueued: ids.filter((id) => !added.has(id)) };
  }

  /** Claims the next undecided, unclaimed session for this reviewer (null: none left). */
  async claimNext(leaseSeconds = 1800): Promise<string | null> {
    const r = await this.client.query('SELECT idv_team.claim_next(make_interval(secs => $1)) AS session_id', [leaseSeconds]).catch(refusal);
    return z.object({ session_id: z.string().nullable() }).parse(r.rows[0]).session_id;
  }

  /** Gives a claim back (this reviewer's own; a supervisor's, anyone's): true when there was one to release. */
  async releaseClaim(sessionId: string): Promise<boolean> {
    const r = await this.client.query('DELETE FROM idv_team.claims WHERE session_id = $1', [sessionId]).catch(refusal);
    return (r.rowCount ?? 0) > 0;
  }

  /** Supervisors: hands a session's claim to another reviewer. */
  async reassignClaim(sessionId: string, reviewer: string, leaseSeconds = 1800): Promise<boolean> {
    // The database refuses a reviewer anyway (no UPDATE on the column); said here in words.
    const me = await this.role();
    if (!me.supervisor) throw new UsageError('TEAM_SUPERVISOR_ONLY', `Only a supervisor reassigns claims; ${me.role} is a reviewer.`);
    const r = await this.client
      .query('UPDATE idv_team.claims SET reviewer = $2, lease_until = greatest(now(), claimed_at) + make_interval(secs => $3) WHERE session_id = $1', [sessionId, reviewer, leaseSeconds])
      .catch(refusal);
    return (r.rowCount ?? 0) > 0;
  }

  async sessionState(sessionId: string): Promise<SessionState | null> {
    const r = await this.client.query('SELECT * FROM idv_team.session_state WHERE session_id = $1', [sessionId]);
    return r.rows[0] === undefined ? null : SessionStateRow.parse(r.rows[0]);
  }

  /**
   * Submits a confirmed version, idempotently by its id: a retry of one already stored writes nothing,
   * and an id that holds another decision is refused. The session joins the queue if it was not in
   * it, and this reviewer's claim on it ends.
   */
  async submitVersion(input: TeamVersion): Promise<SubmitOutcome> {
    const v = TeamVersionSchema.parse(input);
    assertYotiId(v.sessionId, 'session ID');
    await this.client.query('BEGIN');
    try {
      await this.client.query('INSERT INTO idv_team.queue (session_id) VALUES ($1) ON CONFLICT (session_id) DO NOTHING', [v.sessionId]);
      // A base the team never received (a decision made before this workstation joined) is no base: the
      // version is then checked against whatever the team has, as one made without seeing it.
      const base = v.baseVersionId === null ? null : ((await this.client.query('SELECT version_id FROM idv_team.review_versions WHERE version_id = $1 AND session_id = $2', [v.baseVersionId, v.sessionId])).rows[0] === undefined ? null : v.baseVersionId);
      const inserted = await this.client.query(
        `INSERT INTO idv_team.review_versions (version_id, session_id, decision, reasons, notes, verdicts, overrides, manifest_sha256,
           yoti_result, base_version_id, decided_at, time_on_task_ms, active_ms)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (version_id) DO NOTHING RETURNING requires_countersign, conflicts_with`,
        [v.versionId, v.sessionId, v.decision, JSON.stringify(v.reasons), v.notes, JSON.stringify(v.verdicts), JSON.stringify(v.overrides), v.manifestSha256,
          v.yotiResult, base, v.decidedAt, v.timeOnTaskMs, v.activeMs],
      );
      let outcome: SubmitOutcome;
      if (inserted.rows[0] !== undefined) {
        const row = SubmittedRow.parse(inserted.rows[0]);
        outcome = { written: true, requiresCountersign: row.requires_countersign, conflictsWith: row.conflicts_with };
      } else {
        const stored = StoredVersionRow.parse(
          (await this.client.query('SELECT session_id, reviewer::text, decision, manifest_sha256, requires_countersign, conflicts_with FROM idv_team.review_versions WHERE version_id = $1', [v.versionId])).rows[0],
        );
        const role = await this.role();
        if (stored.session_id !== v.sessionId || stored.decision !== v.decision || stored.manifest_sha256 !== v.manifestSha256 || stored.reviewer !== role.role) {
          throw new AppError('TEAM_VERSION_CLASH', `Version ${v.versionId} is already in the team database with another decision; nothing was written.`, 'remote');
        }
        outcome = { written: false, requiresCountersign: stored.requires_countersign, conflictsWith: stored.conflicts_with };
      }
      await this.client.query('DELETE FROM idv_team.claims WHERE session_id = $1 AND reviewer = session_user', [v.sessionId]);
      await this.client.query('COMMIT');
      return outcome;
    } catch (err) {
      await this.client.query('ROLLBACK').catch(() => undefined);
      return refusal(err);
    }
  }

  /** Countersigns the newest version of a session; refused in words unless it waits for a second reviewer. */
  async countersign(sessionId: string): Promise<{ versionId: string; author: string; decision: string }> {
    const state = await this.sessionState(assertYotiId(sessionId, 'session ID'));
    if (state?.version_id == null || state.reviewer === null || state.decision === null) {
      throw new UsageError('TEAM_NOTHING_TO_COUNTERSIGN', `Session ${sessionId} has no decision in the team database to countersign.`);
    }
    if (state.conflicts_with !== null) {
      throw new UsageError('TEAM_IN_CONFLICT', `Session ${sessionId} has two decisions made without seeing each other; it needs a new decision, not a countersignature.`);
    }
    if (state.requires_countersign !== true) throw new UsageError('TEAM_NOTHING_TO_COUNTERSIGN', `The ${state.decision} decision on session ${sessionId} does not need a countersignature.`);
    if (state.countersigned_by !== null) throw new UsageError('TEAM_ALREADY_COUNTERSIGNED', `The decision on session ${sessionId} was already countersigned by ${state.countersigned_by}.`);
    await this.client.query('INSERT INTO idv_team.countersignatures (version_id) VALUES ($1)', [state.version_id]).catch(refusal);
    return { versionId: state.version_id, author: state.reviewer, decision: state.decision };
  }

  /** Decisions of other reviewers waiting for this reviewer's countersignature, oldest first. */
  async awaitingCountersign(): Promise<SessionState[]> {
    const r = await this.client.query(
      'SELECT * FROM idv_team.session_state WHERE requires_countersign AND countersigned_by IS NULL AND conflicts_with IS NULL AND reviewer <> session_user ORDER BY submitted_at',
    );
    return z.array(SessionStateRow).parse(r.rows);
  }

  /** The claims in force (lease not run out), for the queue's "claimed by". */
  async claims(): Promise<Array<{ sessionId: string; claimedBy: string; leaseUntil: Date }>> {
    const r = await this.client.query('SELECT session_id, reviewer::text, lease_until FROM idv_team.claims WHERE lease_until > now() ORDER BY session_id');
    return z.array(z.object({ session_id: z.string(), reviewer: z.string(), lease_until: z.date() })).parse(r.rows).map((c) => ({ sessionId: c.session_id, claimedBy: c.reviewer, leaseUntil: c.lease_until }));
  }

  /** What a reviewer's status shows (the CLI's `team status`, the app's Team panel), on one connection. */
  async overview(): Promise<{ me: { role: string; supervisor: boolean }; figures: TeamFigures; claims: Awaited<ReturnType<TeamDb['claims']>>; awaiting: SessionState[]; conflicts: SessionState[] }> {
    return { me: await this.role(), figures: await this.figures(), claims: await this.claims(), awaiting: await this.awaitingCountersign(), conflicts: await this.conflicts() };
  }

  /** Sessions whose newest decision was made without seeing another one (both kept). */
  async conflicts(): Promise<SessionState[]> {
    const r = await this.client.query(
      `SELECT s.*, o.reviewer::text AS other_reviewer, o.decision AS other_decision
       FROM idv_team.session_state s JOIN idv_team.review_versions o ON o.version_id = s.conflicts_with ORDER BY s.session_id`,
    );
    return z.array(SessionStateRow).parse(r.rows);
  }

  async figures(): Promise<TeamFigures> {
    const counts = await this.client.query(
      `SELECT count(*) FILTER (WHERE version_id IS NULL AND claimed_by IS NULL)::int AS open,
              count(*) FILTER (WHERE version_id IS NULL AND claimed_by IS NOT NULL)::int AS claimed,
              count(*) FILTER (WHERE requires_countersign AND countersigned_by IS NULL AND conflicts_with IS NULL)::int AS awaiting_countersign,
              count(*) FILTER (WHERE conflicts_with IS NOT NULL)::int AS in_conflict,
              count(*) FILTER (WHERE final)::int AS final
       FROM idv_team.session_state`,
    );
    const reviewers = await this.client.query(
      `SELECT reviewer::text, count(*)::int AS decided,
              count(*) FILTER (WHERE yoti_result IN ('APPROVE', 'REJECT'))::int AS compared,
              count(*) FILTER (WHERE yoti_result IN ('APPROVE', 'REJECT') AND (decision = 'APPROVE') = (yoti_result = 'APPROVE'))::int AS agreed,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY coalesce(active_ms, time_on_task_ms)))::float8 AS median_active_ms
       FROM idv_team.review_versions WHERE decided_at >= date_trunc('day', now()) GROUP BY reviewer ORDER BY reviewer`,
    );
    return { counts: CountsRow.parse(counts.rows[0]), reviewers: z.array(ReviewerFiguresRow).parse(reviewers.rows) };
  }

  /**
   * Checks the team audit chain from its first entry: each hash is sha256(previous hash || entry), the
   * sequence has no gap, and each row's columns say what its hashed entry says.
   */
  async verifyAudit(): Promise<AuditCheck> {
    const rows = z.array(AuditRow).parse((await this.client.query('SELECT seq, at, actor::text, action, session_id, detail, entry, prev_hash, hash FROM idv_team.audit ORDER BY seq')).rows);
    let prev: Buffer = Buffer.alloc(32);
    for (const [i, row] of rows.entries()) {
      const seq = i + 1;
      const broken = (problem: string): AuditCheck => ({ entries: rows.length, brokenAt: seq, problem });
      if (row.seq !== String(seq)) return broken(`entry ${seq} is missing (the next one is numbered ${row.seq})`);
      if (!row.prev_hash.equals(prev)) return broken(`entry ${seq} does not follow the entry before it`);
      if (!createHash('sha256').update(prev).update(row.entry, 'utf8').digest().equals(row.hash)) return broken(`entry ${seq} was changed after it was written`);
      const entry = z.object({ seq: z.number(), at: z.string(), actor: z.string(), action: z.string(), sessionId: z.string().nullable(), detail: z.unknown() }).safeParse(parseJson(row.entry));
      // jsonb keeps one key order, so the column and the hashed text serialise alike when they agree.
      // The driver reads a timestamp to the millisecond; the hashed text has microseconds.
      const same = entry.success && entry.data.seq === seq && Date.parse(entry.data.at) === row.at.getTime() && entry.data.actor === row.actor && entry.data.action === row.action && entry.data.sessionId === row.session_id;
      if (!same || JSON.stringify(entry.data.detail) !== JSON.stringify(row.detail)) {
        return broken(`entry ${seq}'s columns differ from what was hashed`);
      }
      prev = row.hash;
    }
    return { entries: rows.length, brokenAt: null, problem: null };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
