import { REASON_CATALOGUE, type ReasonEntry } from '../../../common/session/reasons';
import { DECISIONS, type Decision } from '../../../common/review/decisions';
import type { Settings } from '../settings';

/**
 * The reviewer's decision and the reason codes a decision can carry. Every decision but APPROVE needs
 * at least one reason. The catalogue is the console's own reviewer reasons, then Yoti's reason codes
 * (session/reasons.ts: the reviewer may adopt Yoti's reason); settings.reviewReasons adds entries,
 * renames them or disables them.
 */

export interface ReviewReason {
  code: string;
  text: string;
  /** 'reviewer': the console's catalogue (or settings); 'yoti': one of Yoti's reason codes. */
  source: 'reviewer' | 'yoti';
  /** The decisions the reason is meant for: a hint for ordering the choices, not a rule. */
  decisions: readonly Decision[];
  /** The notes must say more when this reason is chosen. */
  noteRequired?: boolean;
}

const NOT_APPROVE: readonly Decision[] = ['REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE'];

const reviewer = (code: string, text: string, decisions: readonly Decision[], noteRequired = false): ReviewReason =>
  noteRequired ? { code, text, source: 'reviewer', decisions, noteRequired } : { code, text, source: 'reviewer', decisions };

/** The console's own reasons (what reviewers say, review-console-notes §6). */
export const REVIEWER_REASONS: readonly ReviewReason[] = [
  reviewer('DOCUMENT_EXPIRED', 'The document has expired', ['REJECT', 'REQUEST_RESUBMISSION']),
  reviewer('FACE_MISMATCH', 'The face does not match the document photo', ['REJECT', 'ESCALATE']),
  reviewer('POOR_IMAGE_QUALITY', 'The images are too poor to review (blur, glare, darkness, cropping)', ['REQUEST_RESUBMISSION', 'REJECT']),
  reviewer('SUSPECTED_FRAUD', 'Suspected fraud (forged, altered or stolen document, impersonation)', ['REJECT', 'ESCALATE']),
  reviewer('DATA_MISMATCH', 'The data does not match (printed text, MRZ, extracted or declared details)', NOT_APPROVE),
  reviewer('UNDERAGE', 'The person is below the minimum age', ['REJECT']),
  reviewer('NEEDS_SECOND_OPINION', 'A second reviewer should look at this session', ['ESCALATE']),
  reviewer('DOCUMENT_NOT_ACCEPTED', 'This type of document is not accepted', ['REJECT', 'REQUEST_RESUBMISSION']),
  reviewer('MISSING_EVIDENCE', 'Evidence is missing (a document side, a liveness capture)', ['REQUEST_RESUBMISSION', 'ESCALATE']),
  reviewer('LIVENESS_DOUBT', 'It is doubtful that a live person was present', NOT_APPROVE),
  reviewer('AGE_GAP', 'The document photo is too old to compare the face reliably', ['REQUEST_RESUBMISSION', 'ESCALATE']),
  reviewer('SEEN_BEFORE', 'The same document or person appears in another session', ['ESCALATE', 'REJECT']),
  reviewer('OTHER', 'Other (explained in the notes)', DECISIONS, true),
];

function yotiReason(e: ReasonEntry): ReviewReason {
  const decisions: readonly Decision[] =
    e.recommendation === 'REJECT' ? ['REJECT', 'ESCALATE'] : e.recommendation === 'NOT_AVAILABLE' ? ['REQUEST_RESUBMISSION', 'ESCALATE', 'REJECT'] : NOT_APPROVE;
  return { code: e.code, text: e.text.replace(/\s+/g, ' ').trim(), source: 'yoti', decisions };
}

/** Yoti's reason codes, each once (first catalogue wins), after the reviewer reasons. */
export const YOTI_REASONS: readonly ReviewReason[] = (() => {
  const seen = new Set(REVIEWER_REASONS.map((r) => r.code));
  const out: ReviewReason[] = [];
  for (const list of Object.values(REASON_CATALOGUE)) {
    for (const e of list) {
      if (seen.has(e.code)) continue;
      seen.add(e.code);
      out.push(yotiReason(e));
    }
  }
  return out;
})();

/** The built-in catalogue: reviewer reasons first, then Yoti's. */
export const REVIEW_REASONS: readonly ReviewReason[] = [...REVIEWER_REASONS, ...YOTI_REASONS];

export class ReasonCatalogue {
  private readonly byCode: ReadonlyMap<string, ReviewReason>;
  readonly reasons: readonly ReviewReason[];

  constructor(reasons: readonly ReviewReason[]) {
    this.reasons = reasons.map((r) => ({ ...r }));
    this.byCode = new Map(this.reasons.map((r) => [r.code, r]));
  }

  get(code: string): ReviewReason | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** The choices for one decision: the reasons meant for it first, then the others. */
  forDecision(decision: Decision): ReviewReason[] {
    const first = this.reasons.filter((r) => r.decisions.includes(decision));
    return [...first, ...this.reasons.filter((r) => !r.decisions.includes(decision))];
  }
}

/** The catalogue in force: built-in, then settings.reviewReasons (add, rename, disable). */
export function reasonCatalogue(custom: Settings['reviewReasons'] = []): ReasonCatalogue {
  const list: ReviewReason[] = REVIEW_REASONS.map((r) => ({ ...r }));
  for (const c of custom ?? []) {
    const at = list.findIndex((r) => r.code === c.code);
    if (c.disabled) {
      if (at !== -1) list.splice(at, 1);
      continue;
    }
    if (at !== -1) {
      const existing = list[at];
      if (existing && c.text !== undefined) list[at] = { ...existing, text: c.text, source: 'reviewer' };
    } else if (c.text !== undefined) {
      list.push({ code: c.code, text: c.text, source: 'reviewer', decisions: NOT_APPROVE });
    }
  }
  return new ReasonCatalogue(list);
}
