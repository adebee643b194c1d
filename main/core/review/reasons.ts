import { REASON_CATALOGUE, type ReasonEntry } from '../../../common/session/reasons';
import { DECISIONS, type Decision, type ReasonCategory, type ReasonKind } from '../../../common/review/decisions';
import type { Settings } from '../settings';

/**
 * The reason codes a decision can carry: one code per meaning. The console's own reasons come first;
 * Yoti's reason codes follow, except those that mean a console reason (EXPIRED_DOCUMENT is
 * DOCUMENT_EXPIRED): these are its aliases, accepted as input and stored as the console code, while
 * records saved with them still display with the text they were saved with. Each reason has a short
 * label to scan, its full text, a category, and whether it is final or the person can try again
 * (REQUEST_RESUBMISSION). Every decision but APPROVE needs at least one reason; settings.reviewReasons
 * adds, renames or disables entries.
 */

export interface ReviewReason {
  code: string;
  /** Short enough to scan in a list. */
  label: string;
  /** The full text, kept with each version that uses the reason. */
  text: string;
  category: ReasonCategory;
  kind: ReasonKind;
  /** 'reviewer': the console's catalogue (or settings); 'yoti': one of Yoti's reason codes. */
  source: 'reviewer' | 'yoti';
  /** The decisions the reason is meant for: a hint for ordering the choices, not a rule. */
  decisions: readonly Decision[];
  /** Yoti's codes with the same meaning, shown and stored as this reason. */
  aliases: readonly string[];
  /** The notes must say more when this reason is chosen. */
  noteRequired?: boolean;
}

const FINAL: readonly Decision[] = ['REJECT', 'ESCALATE'];
const RETRY: readonly Decision[] = ['REQUEST_RESUBMISSION', 'ESCALATE'];

const reviewer = (
  code: string,
  label: string,
  text: string,
  category: ReasonCategory,
  kind: ReasonKind,
  opts: { aliases?: readonly string[]; decisions?: readonly Decision[]; noteRequired?: boolean } = {},
): ReviewReason => ({
  code,
  label,
  text,
  category,
  kind,
  source: 'reviewer',
  decisions: opts.decisions ?? (kind === 'final' ? FINAL : RETRY),
  aliases: opts.aliases ?? [],
  ...(opts.noteRequired ? { noteRequired: true } : {}),
});

/** The console's own reasons (what reviewers say, review-console-notes §6), with the Yoti codes that mean them. */
export const REVIEWER_REASONS: readonly ReviewReason[] = [
  reviewer('DOCUMENT_EXPIRED', 'Document expired', 'The document has expired', 'document', 'final', { aliases: ['EXPIRED_DOCUMENT'], decisions: ['REJECT', 'REQUEST_RESUBMISSION'] }),
  reviewer('FACE_MISMATCH', 'Face does not match', 'The face does not match the document photo', 'face', 'final', { aliases: ['DIFFERENT_PERSON'] }),
  reviewer('POOR_IMAGE_QUALITY', 'Images too poor to review', 'The images are too poor to review (blur, glare, darkness, cropping)', 'process', 'retry', {
    aliases: ['QUALITY'],
  }),
  reviewer('SUSPECTED_FRAUD', 'Suspected fraud', 'Suspected fraud (forged, altered or stolen document, impersonation)', 'fraud', 'final'),
  reviewer('DATA_MISMATCH', 'Data does not match', 'The data does not match (printed text, MRZ, extracted or declared details)', 'data', 'final', {
    decisions: ['REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE'],
  }),
  reviewer('UNDERAGE', 'Below the minimum age', 'The person is below the minimum age', 'data', 'final', { decisions: ['REJECT'] }),
  reviewer('NEEDS_SECOND_OPINION', 'Needs a second reviewer', 'A second reviewer should look at this session', 'process', 'final', { decisions: ['ESCALATE'] }),
  reviewer('DOCUMENT_NOT_ACCEPTED', 'Document type not accepted', 'This type of document is not accepted', 'document', 'retry', { decisions: ['REJECT', 'REQUEST_RESUBMISSION'] }),
  reviewer('MISSING_EVIDENCE', 'Evidence missing', 'Evidence is missing (a document side, a liveness capture)', 'process', 'retry', { aliases: ['MISSING_DOCUMENT_SIDE'] }),
  reviewer('LIVENESS_DOUBT', 'Doubt a live person was present', 'It is doubtful that a live person was present', 'liveness', 'final', {
    decisions: ['REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE'],
  }),
  reviewer('AGE_GAP', 'Document photo too old to compare', 'The document photo is too old to compare the face reliably (or the age gap looks unrealistic)', 'face', 'retry', {
    aliases: ['LARGE_AGE_GAP'],
  }),
  reviewer('SEEN_BEFORE', 'Seen in another session', 'The same document or person appears in another session', 'fraud', 'final', { decisions: ['ESCALATE', 'REJECT'] }),
  reviewer('OTHER', 'Other (see the notes)', 'Other (explained in the notes)', 'process', 'final', { decisions: DECISIONS, noteRequired: true }),
];

/** Yoti's codes that mean another Yoti code (the same finding reported by another table or example). */
const YOTI_ALIASES: ReadonlyMap<string, string> = new Map([
  ['PICTURE_TOO_DARK', 'PHOTO_TOO_DARK'],
  ['FACE_PHOTO_LOW_RESOLUTION', 'IMAGE_RESOLUTION_TOO_LOW'],
  ['MRZ_VALIDATION', 'INCORRECT_MRZ'],
]);

/** Where each of Yoti's own codes belongs; codes not listed are 'process'. */
const YOTI_CATEGORY: ReadonlyMap<string, ReasonCategory> = new Map([
  ...(['DOCUMENT_TOO_DAMAGED', 'COUNTRY_NOT_SUPPORTED', 'DOCUMENT_NOT_SUPPORTED', 'INCORRECT_DOCUMENT_TYPE', 'DOCUMENT_VERSION_NOT_SUPPORTED'] as const).map(
    (c): [string, ReasonCategory] => [c, 'document'],
  ),
  ...(['FACE_NOT_FOUND', 'DOCUMENT_NOT_FOUND'] as const).map((c): [string, ReasonCategory] => [c, 'face']),
  ...(['FACE_NOT_GENUINE', 'PHOTO_OF_MASK', 'PHOTO_OF_PHOTO'] as const).map((c): [string, ReasonCategory] => [c, 'liveness']),
  ...(['INCORRECT_MRZ', 'EXTRACTION_FAILED'] as const).map((c): [string, ReasonCategory] => [c, 'data']),
  ...(['DOCUMENT_COPY', 'NO_HOLOGRAM_MOVEMENT', 'TAMPERED', 'MISSING_HOLOGRAM', 'OTHER_SECURITY_FEATURES', 'FRAUD_LIST_MATCH', 'NOT_GENUINE'] as const).map(
    (c): [string, ReasonCategory] => [c, 'fraud'],
  ),
]);

/** Labels for Yoti's texts that are too long (or too vague) to scan. */
const YOTI_LABELS: ReadonlyMap<string, string> = new Map([
  ['OTHER_SECURITY_FEATURES', 'Security features failed'],
  ['DOCUMENT_TOO_DAMAGED', 'Document too damaged to check'],
  ['DOCUMENT_VERSION_NOT_SUPPORTED', 'Document template not supported'],
  ['PHOTO_OF_PHOTO', 'Photo of a photo'],
  ['MISUSE', 'Photo misused'],
  ['INVALID', 'Not a valid photo'],
  ['DOCUMENT_COPY', 'Document photocopied'],
  ['NO_HOLOGRAM_MOVEMENT', 'No hologram movement'],
  ['MISSING_HOLOGRAM', 'No hologram'],
  ['TAMPERED', 'Photo tampered with'],
  ['FRAUD_LIST_MATCH', 'Fraud list match'],
  ['EXTRACTION_FAILED', 'Text could not be extracted'],
  ['DOCUMENT_NOT_FOUND', 'No document photo detected'],
]);

/** "The photo is blurry" → "Photo is blurry": a label from Yoti's text, when short enough. */
function labelOf(code: string, text: string): string {
  const own = YOTI_LABELS.get(code);
  if (own !== undefined) return own;
  const bare = text.replace(/\.$/, '').replace(/^The /, '');
  return `${bare.charAt(0).toUpperCase()}${bare.slice(1)}`;
}

function yotiReason(e: ReasonEntry, aliases: readonly string[]): ReviewReason {
  const kind: ReasonKind = e.recommendation === 'REJECT' ? 'final' : 'retry';
  const text = e.text.replace(/\s+/g, ' ').trim();
  return { code: e.code, label: labelOf(e.code, text), text, category: YOTI_CATEGORY.get(e.code) ?? 'process', kind, source: 'yoti', decisions: kind === 'final' ? FINAL : RETRY, aliases };
}

/** Yoti's reason codes, each once (the first table's words win), without those a reason above already means. */
export const YOTI_REASONS: readonly ReviewReason[] = (() => {
  const taken = new Set(REVIEWER_REASONS.flatMap((r) => [r.code, ...r.aliases]));
  for (const alias of YOTI_ALIASES.keys()) taken.add(alias);
  const out: ReviewReason[] = [];
  for (const list of Object.values(REASON_CATALOGUE)) {
    for (const e of list) {
      if (taken.has(e.code)) continue;
      taken.add(e.code);
      out.push(yotiReason(e, [...YOTI_ALIASES].filter(([, to]) => to === e.code).map(([from]) => from)));
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
    this.byCode = new Map(this.reasons.flatMap((r) => [r.code, ...r.aliases].map((code): [string, ReviewReason] => [code, r])));
  }

  /** The reason a code means (an alias gives the reason it is an alias of). */
  get(code: string): ReviewReason | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  /** The code a reason is stored under: the console code for an alias, else the code itself. */
  canonical(code: string): string {
    return this.byCode.get(code)?.code ?? code;
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
      if (existing && c.text !== undefined) list[at] = { ...existing, label: c.text, text: c.text, source: 'reviewer' };
    } else if (c.text !== undefined) {
      list.push(reviewer(c.code, c.text, c.text, 'process', 'final', { decisions: ['REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE'] }));
    }
  }
  return new ReasonCatalogue(list);
}
