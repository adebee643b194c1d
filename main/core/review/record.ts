import * as z from 'zod';
import { UsageError } from '../../../common/errors';
import { DECISIONS, type Decision } from '../../../common/review/decisions';
import { DecisionContextSchema, type DecisionContext } from '../../../common/review/guardrails';
import type { ReasonCatalogue } from './reasons';

/**
 * The review record of a session, as versions: every save (draft or confirmed) is a new version,
 * never an overwrite. A confirmed version is final; a later confirmed version that changes it
 * names it in `supersedes`. Pure types, schemas and checks; the store is review-store.ts.
 */

export type CheckVerdictKind = 'AGREE' | 'OVERRIDE';

/** The reviewer's view of one of Yoti's checks (by check id, or `#<index>` for a check without one). */
export interface CheckVerdict {
  checkId: string;
  verdict: CheckVerdictKind;
  note: string;
}

export interface ReviewerIdentity {
  /** settings.reviewerName, when set. */
  name: string | null;
  /** The operating-system account. */
  osAccount: string;
  /** settings.reviewerRole, when set (versions saved before it existed have none). */
  role?: string;
  /** settings.workstation, else the host name. */
  workstation?: string;
}

export interface ViewingTools {
  zoom: boolean;
  rotate: boolean;
  filters: boolean;
  compare: boolean;
}

export interface EvidenceItemViewed {
  mediaId: string;
  firstViewedAt: string;
  lastViewedAt: string;
  views: number;
  /** Tools used on this item at least once. */
  tools: ViewingTools;
}

/** What the reviewer opened, folded from the audit log's session.opened and media.viewed entries. */
export interface EvidenceViewed {
  firstOpenedAt: string | null;
  lastOpenedAt: string | null;
  opens: number;
  /** By media id. */
  items: EvidenceItemViewed[];
  /** Seq of the last audit entry folded in. */
  appliedSeq: number;
}

export type ReviewStatus = 'DRAFT' | 'CONFIRMED';

export interface ReviewVersion {
  v: 1;
  sessionId: string;
  /** Random UUID. */
  versionId: string;
  /** 1, 2, 3… per session; also the file name. */
  seq: number;
  status: ReviewStatus;
  /** The version this one was saved after (null for the first). */
  previousVersionId: string | null;
  /** The confirmed version whose decision this version changes (null when it changes none). */
  supersedes: string | null;
  decision: Decision | null;
  /** Codes with the catalogue text at the time of saving. */
  reasons: Array<{ code: string; text: string }>;
  notes: string;
  checkVerdicts: CheckVerdict[];
  reviewer: ReviewerIdentity;
  /** When the session was first opened (any reviewer), if it was. */
  firstOpenedAt: string | null;
  /** Start of this decision: the first opening, or the first save after the previous confirmation. */
  startedAt: string;
  savedAt: string;
  /** Confirmed versions: when the decision was confirmed. */
  decidedAt: string | null;
  /** Confirmed versions: decidedAt − startedAt. */
  timeOnTaskMs: number | null;
  /** Confirmed in the app: active time (focused, visible, input within the last minute), at most timeOnTaskMs; absent from the command line and older versions. */
  activeMs?: number | null;
  /** Confirmed versions: the evidence manifest hash the decision was made on. */
  manifestHash: string | null;
  /** Confirmed versions: what had been viewed when the decision was made. */
  evidenceViewed: EvidenceViewed | null;
  /** Confirmed versions: what the decision was made against and every guardrail override (absent in records made before guardrails). */
  context?: DecisionContext;
}

export const LIMITS = Object.freeze({ notes: 200_000, reasons: 50, verdicts: 200, checkId: 128, verdictNote: 5_000 });

const ISO = z.string().max(64);
const ToolsSchema = z.object({ zoom: z.boolean(), rotate: z.boolean(), filters: z.boolean(), compare: z.boolean() }).strict();
export const EvidenceViewedSchema = z
  .object({
    firstOpenedAt: ISO.nullable(),
    lastOpenedAt: ISO.nullable(),
    opens: z.number().int().nonnegative(),
    items: z.array(
      z.object({ mediaId: z.string().max(64), firstViewedAt: ISO, lastViewedAt: ISO, views: z.number().int().positive(), tools: ToolsSchema }).strict(),
    ),
    appliedSeq: z.number().int().nonnegative(),
  })
  .strict();

const VerdictSchema = z
  .object({ checkId: z.string().min(1).max(LIMITS.checkId), verdict: z.enum(['AGREE', 'OVERRIDE']), note: z.string().max(LIMITS.verdictNote) })
  .strict();

export const ReviewVersionSchema = z
  .object({
    v: z.literal(1),
    sessionId: z.string().max(64),
    versionId: z.string().max(64),
    seq: z.number().int().positive(),
    status: z.enum(['DRAFT', 'CONFIRMED']),
    previousVersionId: z.string().max(64).nullable(),
    supersedes: z.string().max(64).nullable(),
    decision: z.enum(DECISIONS).nullable(),
    reasons: z.array(z.object({ code: z.string().max(100), text: z.string().max(1000) }).strict()).max(LIMITS.reasons),
    notes: z.string().max(LIMITS.notes),
    checkVerdicts: z.array(VerdictSchema).max(LIMITS.verdicts),
    reviewer: z.object({ name: z.string().max(200).nullable(), osAccount: z.string().max(256), role: z.string().max(100).optional(), workstation: z.string().max(255).optional() }).strict(),
    firstOpenedAt: ISO.nullable(),
    startedAt: ISO,
    savedAt: ISO,
    decidedAt: ISO.nullable(),
    timeOnTaskMs: z.number().int().nonnegative().nullable(),
    /** Confirmed in the app: active time on this decision (window focused and visible, input within the last minute), measured by the page; never more than timeOnTaskMs. */
    activeMs: z.number().int().nonnegative().nullable().optional(),
    manifestHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    evidenceViewed: EvidenceViewedSchema.nullable(),
    context: DecisionContextSchema.optional(),
  })
  .strict();

/** What the reviewer has typed or chosen; every field left out keeps its previous value. */
export interface ReviewInput {
  decision?: Decision | null;
  reasonCodes?: readonly string[];
  notes?: string;
  checkVerdicts?: ReadonlyArray<{ checkId: string; verdict: CheckVerdictKind; note?: string }>;
}

export interface ReviewFields {
  decision: Decision | null;
  reasonCodes: string[];
  notes: string;
  checkVerdicts: CheckVerdict[];
}

export function fieldsOf(v: ReviewVersion | null): ReviewFields {
  if (v === null) return { decision: null, reasonCodes: [], notes: '', checkVerdicts: [] };
  return { decision: v.decision, reasonCodes: v.reasons.map((r) => r.code), notes: v.notes, checkVerdicts: v.checkVerdicts.map((c) => ({ ...c })) };
}

/** Applies input over the previous fields, validating shape and limits (not completeness). */
export function mergeInput(previous: ReviewFields, input: ReviewInput, catalogue: ReasonCatalogue): ReviewFields {
  const out: ReviewFields = { ...previous, reasonCodes: [...previous.reasonCodes], checkVerdicts: previous.checkVerdicts.map((c) => ({ ...c })) };
  if (input.decision !== undefined) {
    if (input.decision !== null && !(DECISIONS as readonly string[]).includes(input.decision)) {
      throw new UsageError('UNKNOWN_DECISION', `Unknown decision "${String(input.decision).slice(0, 40)}": use one of ${DECISIONS.join(', ')}.`);
    }
    out.decision = input.decision;
  }
  if (input.notes !== undefined) {
    if (typeof input.notes !== 'string' || input.notes.length > LIMITS.notes) {
      throw new UsageError('NOTES_TOO_LONG', `Notes are limited to ${LIMITS.notes} characters.`);
    }
    out.notes = input.notes;
  }
  if (input.reasonCodes !== undefined) {
    // A Yoti code that means a console reason is stored as that reason (one code per meaning).
    const codes = [...new Set(input.reasonCodes.map((c) => (typeof c === 'string' ? catalogue.canonical(c) : c)))];
    if (codes.length > LIMITS.reasons) throw new UsageError('TOO_MANY_REASONS', `At most ${LIMITS.reasons} reason codes.`);
    const unknown = codes.filter((c) => typeof c !== 'string' || !catalogue.has(c));
    if (unknown.length > 0) {
      throw new UsageError(
        'UNKNOWN_REASON',
        `Unknown reason code${unknown.length === 1 ? '' : 's'} ${unknown.map((c) => JSON.stringify(String(c).slice(0, 64))).join(', ')}. ` +
          `Valid codes: ${catalogue.reasons.map((r) => r.code).join(', ')}.`,
      );
    }
    out.reasonCodes = codes;
  }
  if (input.checkVerdicts !== undefined) {
    if (input.checkVerdicts.length > LIMITS.verdicts) throw new UsageError('TOO_MANY_VERDICTS', `At most ${LIMITS.verdicts} check verdicts.`);
    const byCheck = new Map<string, CheckVerdict>();
    for (const v of input.checkVerdicts) {
      const parsed = VerdictSchema.safeParse({ checkId: v.checkId, verdict: v.verdict, note: v.note ?? '' });
      if (!parsed.success) {
        throw new UsageError(
          'INVALID_VERDICT',
          `A check verdict needs a check id (1-${LIMITS.checkId} characters), AGREE or OVERRIDE, and a note of at most ${LIMITS.verdictNote} characters.`,
        );
      }
      byCheck.set(parsed.data.checkId, parsed.data);
    }
    out.checkVerdicts = [...byCheck.values()];
  }
  return out;
}

export type ConfirmableFields = ReviewFields & { decision: Decision };

/** Refuses a decision that cannot be confirmed: none chosen, no reason for a non-APPROVE, a note missing. */
export function assertConfirmable(fields: ReviewFields, catalogue: ReasonCatalogue): asserts fields is ConfirmableFields {
  if (fields.decision === null) {
    throw new UsageError('DECISION_REQUIRED', `Choose a decision first: ${DECISIONS.join(', ')}.`);
  }
  if (fields.decision !== 'APPROVE' && fields.reasonCodes.length === 0) {
    const hints = catalogue
      .forDecision(fields.decision)
      .slice(0, 8)
      .map((r) => r.code)
      .join(', ');
    throw new UsageError('REASON_REQUIRED', `A ${fields.decision} decision needs at least one reason code (for example ${hints}).`);
  }
  const needsNote = fields.reasonCodes.filter((c) => catalogue.get(c)?.noteRequired);
  if (needsNote.length > 0 && fields.notes.trim() === '') {
    throw new UsageError('NOTE_REQUIRED', `Reason ${needsNote.join(', ')} needs a note that explains it.`);
  }
  const overridden = fields.checkVerdicts.filter((v) => v.verdict === 'OVERRIDE' && v.note.trim() === '');
  if (overridden.length > 0) {
    throw new UsageError('NOTE_REQUIRED', `Overriding check ${overridden.map((v) => v.checkId).join(', ')} needs a note that says why.`);
  }
}

export function sameFields(a: ReviewFields, b: ReviewFields): boolean {
  return (
    a.decision === b.decision &&
    a.notes === b.notes &&
    a.reasonCodes.length === b.reasonCodes.length &&
    a.reasonCodes.every((c, i) => c === b.reasonCodes[i]) &&
    a.checkVerdicts.length === b.checkVerdicts.length &&
    a.checkVerdicts.every((v, i) => {
      const w = b.checkVerdicts[i];
      return w !== undefined && v.checkId === w.checkId && v.verdict === w.verdict && v.note === w.note;
    })
  );
}

// ---- evidence viewed (pure fold) ----

export function emptyEvidenceViewed(): EvidenceViewed {
  return { firstOpenedAt: null, lastOpenedAt: null, opens: 0, items: [], appliedSeq: 0 };
}

export const NO_TOOLS: Readonly<ViewingTools> = Object.freeze({ zoom: false, rotate: false, filters: false, compare: false });

export function normaliseTools(t: Partial<ViewingTools> | undefined): ViewingTools {
  return { zoom: t?.zoom === true, rotate: t?.rotate === true, filters: t?.filters === true, compare: t?.compare === true };
}

/** Folds one audit event in; events already folded (seq ≤ appliedSeq) change nothing. */
export function applyViewEvent(
  a: EvidenceViewed,
  event: { seq: number; at: string; type: 'session.opened' } | { seq: number; at: string; type: 'media.viewed'; mediaId: string; tools: ViewingTools },
): EvidenceViewed {
  if (event.seq <= a.appliedSeq) return a;
  if (event.type === 'session.opened') {
    return { ...a, firstOpenedAt: a.firstOpenedAt ?? event.at, lastOpenedAt: event.at, opens: a.opens + 1, appliedSeq: event.seq };
  }
  const items = a.items.map((i) => ({ ...i, tools: { ...i.tools } }));
  const found = items.find((i) => i.mediaId === event.mediaId);
  if (found) {
    found.lastViewedAt = event.at;
    found.views += 1;
    found.tools = orTools(found.tools, event.tools);
  } else {
    items.push({ mediaId: event.mediaId, firstViewedAt: event.at, lastViewedAt: event.at, views: 1, tools: { ...event.tools } });
    items.sort((x, y) => (x.mediaId < y.mediaId ? -1 : x.mediaId > y.mediaId ? 1 : 0));
  }
  return { ...a, items, appliedSeq: event.seq };
}

function orTools(a: ViewingTools, b: ViewingTools): ViewingTools {
  return { zoom: a.zoom || b.zoom, rotate: a.rotate || b.rotate, filters: a.filters || b.filters, compare: a.compare || b.compare };
}

/** Equal apart from appliedSeq (used by verify: the file against the audit log). */
export function sameEvidenceViewed(a: EvidenceViewed, b: EvidenceViewed): boolean {
  const strip = (x: EvidenceViewed) => JSON.stringify({ ...x, appliedSeq: 0 });
  return strip(a) === strip(b);
}
