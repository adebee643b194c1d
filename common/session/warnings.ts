import type { FaceMatchResult } from './face-match';
import { listAttempts } from './attempts';
import { countedChecks, type YotiProgress } from './overall';
import type { Session } from './schema';
import type { CheckSummary } from './summary';
import type { Problem } from './tolerant';
import { CHECK_TYPE_WORDS } from './words';

/**
 * The warnings a reviewer reads first: one per finding, each naming its check, the most severe first.
 * A check's failed sub-checks, its reason, what the user can do and its score are the details of that
 * check's one warning. A contradiction (Yoti's parts disagreeing with each other or with the
 * threshold) is a warning of its own, so it is never drawn as a pass. Pure.
 */

export type WarningSeverity = 'critical' | 'warning' | 'notice';

export type WarningKind =
  | 'CHECK_REJECTED'
  | 'CHECK_CONSIDER'
  | 'CHECK_NOT_AVAILABLE'
  | 'CHECK_INTERNAL_ERROR'
  | 'CHECK_RESULT_UNKNOWN'
  | 'CHECK_TYPE_UNKNOWN'
  | 'FACE_MATCH_NOT_ABOVE_THRESHOLD'
  | 'CONTRADICTION'
  | 'FIELD_CHANGED'
  | 'MISSING_RESOURCE'
  | 'YOTI_NOT_FINISHED'
  | 'NO_CHECKS'
  | 'SESSION_EXPIRED'
  | 'SESSION_PARTS_UNREADABLE'
  | 'SEEN_BEFORE'
  | 'DOCUMENT_UPLOADED';

export interface Warning {
  kind: WarningKind;
  severity: WarningSeverity;
  /** One sentence in words, naming its check. */
  text: string;
  checkIndex?: number;
  checkId?: string;
  /** The lines under it: failed sub-checks, what the user can do, the score. */
  details?: string[];
}

/** A field the manual text data check changed against what the document's own extraction says. */
export interface ChangedField {
  /** "Document 1". */
  document: string;
  /** The field in words ("Date of birth"). */
  field: string;
  /** What the document's own extraction (the printed text) says. */
  printed: string;
  /** What the text data check says. */
  corrected: string;
  checkIndex?: number;
  checkId?: string;
}

/** Another stored session of the same document or person (main's seen-before index). */
export interface SeenBeforeMatchInput {
  sessionId: string;
  match: 'SAME_DOCUMENT' | 'SAME_PERSON';
  /** When that session was first fetched here. */
  fetchedAt?: string;
  /** Its final decision, when one is recorded. */
  decision?: string;
}

export interface WarningInputs {
  session: Session;
  checks: readonly CheckSummary[];
  faceMatches: readonly FaceMatchResult[];
  progress: YotiProgress;
  problems: readonly Problem[];
  changedFields?: readonly ChangedField[];
  seenBefore?: readonly SeenBeforeMatchInput[];
  /** When this session's final decision was made, if it was: a match fetched later was known only after it. */
  decidedAt?: string;
}

const SEVERITY_ORDER: Readonly<Record<WarningSeverity, number>> = { critical: 0, warning: 1, notice: 2 };
const KNOWN_RECOMMENDATIONS: ReadonlySet<string> = new Set(['APPROVE', 'REJECT', 'NOT_AVAILABLE', 'CONSIDER']);
const KNOWN_CHECK_STATES: ReadonlySet<string> = new Set(['CREATED', 'READY', 'PENDING', 'DONE', 'INTERNAL_ERROR']);

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
const score2 = (n: number): string => n.toFixed(2);

export function warningsFor(inputs: WarningInputs): Warning[] {
  const { checks, faceMatches, progress, problems } = inputs;
  const counted = new Set(countedChecks(inputs.session).map((c) => c.checkIndex));
  const faceOf = new Map(faceMatches.map((f) => [f.checkIndex, f]));
  const out: Warning[] = [];

  // Where Yoti stands.
  if (progress.state === 'EXPIRED') {
    out.push({ kind: 'SESSION_EXPIRED', severity: 'warning', text: 'The session expired at Yoti before it was finished: its results may be incomplete' });
  } else if (progress.working) {
    const notDone = checks.filter((c) => counted.has(c.checkIndex) && (c.state.value === undefined || ['CREATED', 'READY', 'PENDING'].includes(c.state.value)));
    out.push({
      kind: 'YOTI_NOT_FINISHED',
      severity: 'warning',
      text:
        notDone.length > 0
          ? `Yoti is still working: ${plural(notDone.length, 'check')} not done yet`
          : 'Yoti is still working: the session is still ongoing',
      ...(notDone.length > 0 ? { details: notDone.map((c) => `${c.label}: ${c.state.text}`) } : {}),
    });
  } else if (progress.checkCount === 0 && progress.state === 'COMPLETED') {
    out.push({ kind: 'NO_CHECKS', severity: 'warning', text: 'Yoti completed this session without running any check' });
  }

  for (const c of checks) {
    const isCounted = counted.has(c.checkIndex);
    const finding = checkFinding(c, faceOf.get(c.checkIndex), progress.working);
    if (finding) {
      out.push({
        ...finding,
        // an earlier attempt that a later one of the same type replaced is still listed, as a notice
        severity: isCounted ? finding.severity : 'notice',
        text: isCounted ? finding.text : `${finding.text} (a later attempt counts)`,
        checkIndex: c.checkIndex,
        ...(c.id === undefined ? {} : { checkId: c.id }),
      });
    }
    for (const text of contradictions(c, faceOf.get(c.checkIndex))) {
      out.push({ kind: 'CONTRADICTION', severity: isCounted ? 'critical' : 'notice', text, checkIndex: c.checkIndex, ...(c.id === undefined ? {} : { checkId: c.id }) });
    }
    for (const id of c.missingResources) {
      out.push({
        kind: 'MISSING_RESOURCE',
        severity: 'warning',
        text: `${c.label}: used resource ${id}, which is not in the session`,
        checkIndex: c.checkIndex,
        ...(c.id === undefined ? {} : { checkId: c.id }),
      });
    }
  }

  for (const f of inputs.changedFields ?? []) {
    out.push({
      kind: 'FIELD_CHANGED',
      severity: 'warning',
      text: `${f.document}: the manual text check changed ${f.field} from "${f.printed}" (as read from the document) to "${f.corrected}"`,
      ...(f.checkIndex === undefined ? {} : { checkIndex: f.checkIndex }),
      ...(f.checkId === undefined ? {} : { checkId: f.checkId }),
    });
  }

  // An identity document page the person uploaded as a file, not captured live: a different risk (it
  // may be edited, or not theirs). Supplementary documents (a bill) are uploaded by design.
  for (const a of listAttempts(inputs.session)) {
    if (a.kind !== 'ID_DOCUMENT') continue;
    const uploaded = (a.resource.pages ?? []).flatMap((page, p) => (page.capture_method === 'UPLOAD' ? [p + 1] : []));
    if (uploaded.length === 0) continue;
    out.push({
      kind: 'DOCUMENT_UPLOADED',
      severity: 'warning',
      text: `${a.label} ${uploaded.length === 1 ? `page ${uploaded[0]} was` : `pages ${uploaded.join(', ')} were`} uploaded as a file, not captured live with the camera`,
    });
  }

  const seen = seenBeforeWarning(inputs.seenBefore ?? [], inputs.decidedAt);
  if (seen) out.push(seen);

  if (problems.length > 0) {
    out.push({
      kind: 'SESSION_PARTS_UNREADABLE',
      severity: 'warning',
      text: `${plural(problems.length, 'part')} of the session could not be read and ${problems.length === 1 ? 'was' : 'were'} left out`,
    });
  }
  // stable: within a severity, the order above (session, then checks in session order)
  return out.map((w, i) => ({ w, i })).sort((a, b) => SEVERITY_ORDER[a.w.severity] - SEVERITY_ORDER[b.w.severity] || a.i - b.i).map((x) => x.w);
}

/**
 * One warning for every other session of the same document or person: critical when one of them was
 * rejected. A match fetched after this session's decision is marked as known only after it, so the
 * decision is not read as having ignored it.
 */
function seenBeforeWarning(matches: readonly SeenBeforeMatchInput[], decidedAt: string | undefined): Warning | undefined {
  if (matches.length === 0) return undefined;
  const documents = matches.filter((m) => m.match === 'SAME_DOCUMENT').length;
  const what = [documents > 0 ? `the same document in ${plural(documents, 'other session')}` : '', documents < matches.length ? `the same person in ${plural(matches.length - documents, 'other session')}` : '']
    .filter(Boolean)
    .join(' and ');
  const details = matches.map((m) => {
    const later = decidedAt !== undefined && m.fetchedAt !== undefined && m.fetchedAt > decidedAt;
    return `${m.sessionId}: ${m.match === 'SAME_DOCUMENT' ? 'same document' : 'same person'}, ${m.decision === undefined ? 'no decision' : `decision ${m.decision}`}${
      later ? ', known only after this session was decided' : ''
    }`;
  });
  return { kind: 'SEEN_BEFORE', severity: matches.some((m) => m.decision === 'REJECT') ? 'critical' : 'warning', text: `Seen before: ${what}`, details };
}

type Finding = Pick<Warning, 'kind' | 'severity' | 'text' | 'details'>;

/** The details every finding of a check carries: its failed sub-checks, what the user can do, the face-match score. */
function detailsOf(c: CheckSummary, f: FaceMatchResult | undefined, withScore: boolean): string[] {
  const details: string[] = [];
  for (const s of c.subChecks) if (s.failed) details.push(`Failed: ${s.name.text}`);
  if (c.recoverySuggestion) details.push(`What the user can do: ${c.recoverySuggestion.text}`);
  if (f && withScore) details.push(scoreLine(f));
  return details;
}

/** The AI sub-check passed while the score is not above the threshold: said once, as a contradiction. */
const passedBelowThreshold = (f: FaceMatchResult): boolean => f.score !== null && f.aiResult === 'PASS' && !f.aboveThreshold;

function scoreLine(f: FaceMatchResult): string {
  if (f.score === null) return f.scoreText === undefined ? 'No AI confidence score' : `AI confidence score "${f.scoreText}" is not a number from 0 to 1`;
  return `AI confidence score ${score2(f.score)}, ${f.aboveThreshold ? 'above' : 'not above'} the threshold ${score2(f.threshold)}`;
}

/** The one finding of a check, or none when it approves cleanly (or Yoti is still working on it). */
function checkFinding(c: CheckSummary, f: FaceMatchResult | undefined, yotiWorking: boolean): Finding | undefined {
  const state = c.state.value;
  const value = c.recommendation.value;
  const reason = c.reason ? `: ${c.reason.text}` : '';
  const scoreIsTheFinding = state === 'DONE' && value === 'APPROVE' && f !== undefined && !f.aboveThreshold;
  const details = detailsOf(c, f, !scoreIsTheFinding);
  const withDetails = (finding: Omit<Finding, 'details'>): Finding => (details.length > 0 ? { ...finding, details } : finding);
  if (state === 'INTERNAL_ERROR') return withDetails({ kind: 'CHECK_INTERNAL_ERROR', severity: 'warning', text: `${c.label}: failed at Yoti (internal error)` });
  if (state !== 'DONE') {
    if (state !== undefined && KNOWN_CHECK_STATES.has(state)) return undefined; // not finished: YOTI_NOT_FINISHED says so
    if (state === undefined) return yotiWorking ? undefined : withDetails({ kind: 'CHECK_RESULT_UNKNOWN', severity: 'warning', text: `${c.label}: no state given, so no result` });
    return withDetails({ kind: 'CHECK_RESULT_UNKNOWN', severity: 'warning', text: `${c.label}: in a state this console does not know, ${state} (no description)` });
  }
  if (value === 'REJECT') return withDetails({ kind: 'CHECK_REJECTED', severity: 'critical', text: `${c.label}: Yoti rejects${reason}` });
  if (value === 'NOT_AVAILABLE') return withDetails({ kind: 'CHECK_NOT_AVAILABLE', severity: 'warning', text: `${c.label}: could not be done${reason}` });
  if (value === 'CONSIDER') return withDetails({ kind: 'CHECK_CONSIDER', severity: 'warning', text: `${c.label}: Yoti says look closer (Consider)${reason}` });
  if (value === undefined) return withDetails({ kind: 'CHECK_RESULT_UNKNOWN', severity: 'warning', text: `${c.label}: done, but gives no result` });
  if (!KNOWN_RECOMMENDATIONS.has(value)) {
    return withDetails({ kind: 'CHECK_RESULT_UNKNOWN', severity: 'warning', text: `${c.label}: a result this console does not know, ${value} (no description)${reason}` });
  }
  // APPROVE
  if (c.type.value === undefined || !CHECK_TYPE_WORDS.has(c.type.value)) {
    return withDetails({ kind: 'CHECK_TYPE_UNKNOWN', severity: 'warning', text: `${c.label}: a check type this console does not know; Yoti approves it` });
  }
  if (f && !f.aboveThreshold && !passedBelowThreshold(f)) {
    const score = f.score === null ? (f.scoreText === undefined ? 'there is no AI confidence score' : `the AI confidence score "${f.scoreText}" is not a number from 0 to 1`) : `the AI confidence score ${score2(f.score)} is not above the threshold ${score2(f.threshold)}`;
    return withDetails({ kind: 'FACE_MATCH_NOT_ABOVE_THRESHOLD', severity: 'critical', text: `${c.label}: Yoti approves, but ${score}` });
  }
  return undefined;
}

/** Where the parts of one check disagree: a sub-check against the score, AI against manual, approval against failed sub-checks. */
function contradictions(c: CheckSummary, f: FaceMatchResult | undefined): string[] {
  const out: string[] = [];
  if (f && f.score !== null) {
    if (f.aiResult === 'FAIL' && f.aboveThreshold) {
      out.push(`${c.label}: the AI face match failed, yet its confidence score ${score2(f.score)} is above the threshold ${score2(f.threshold)}`);
    } else if (passedBelowThreshold(f)) {
      out.push(`${c.label}: the AI face match passed, yet its confidence score ${score2(f.score)} is not above the threshold ${score2(f.threshold)}`);
    }
  }
  if (f && (f.aiResult === 'PASS' || f.aiResult === 'FAIL') && (f.manualResult === 'PASS' || f.manualResult === 'FAIL') && f.aiResult !== f.manualResult) {
    out.push(`${c.label}: the AI face match says ${f.aiResult === 'PASS' ? 'pass' : 'fail'}, the manual face match says ${f.manualResult === 'PASS' ? 'pass' : 'fail'}`);
  }
  const failed = c.subChecks.filter((s) => s.failed);
  if (c.state.value === 'DONE' && c.recommendation.value === 'APPROVE' && failed.length > 0) {
    out.push(`${c.label}: Yoti approves, yet ${plural(failed.length, 'sub-check')} failed: ${failed.map((s) => s.name.text).join('; ')}`);
  }
  return out;
}
