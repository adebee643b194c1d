import { linkChecks, listAttempts, type CheckRef, type ResourceRef } from './attempts';
import { documentFieldsResolver, type AuthoritativeDocumentFields } from './document-fields';
import { DEFAULT_FACE_MATCH_THRESHOLD, faceMatch, type FaceMatchResult } from './face-match';
import { listMedia, type MediaItem } from './media';
import { describeReason, describeRecoverySuggestion, type ReasonDescription, type RecoveryDescription } from './reasons';
import type { Session } from './schema';
import type { Problem } from './tolerant';
import {
  checkStateWords,
  checkTypeWords,
  documentTypeWords,
  livenessTypeWords,
  processWords,
  recommendationWords,
  resultWords,
  sessionStateWords,
  subCheckWords,
} from './words';

/**
 * The reviewer-facing digest of a session: what the CLI `show` command and the UI print. Pure: same
 * session and options, same summary. Warnings come first, every retry is its own entry.
 */

export interface SummarizeOptions {
  /** Face-match confidence threshold, 0..1 (default 0.7). */
  faceMatchThreshold?: number;
  /** The problems parseSession reported, so they can be shown with the rest. */
  problems?: readonly Problem[];
}

/** A code and its plain words (the code itself when unknown; "Not given" when absent). */
export interface Worded {
  value?: string;
  text: string;
}

export type OverallRecommendation = 'APPROVE' | 'REJECT' | 'NOT_AVAILABLE' | 'PENDING';

export type WarningKind =
  | 'CHECK_REJECTED'
  | 'CHECK_NOT_AVAILABLE'
  | 'CHECK_INTERNAL_ERROR'
  | 'SUB_CHECK_FAILED'
  | 'FACE_MATCH_NOT_ABOVE_THRESHOLD'
  | 'MISSING_RESOURCE'
  | 'SESSION_PARTS_UNREADABLE';

export interface Warning {
  kind: WarningKind;
  text: string;
  checkIndex?: number;
  checkId?: string;
}

export interface SubCheckSummary {
  name: Worded;
  result: Worded;
  process?: Worded;
  /** result is FAIL. */
  failed: boolean;
  details: { name?: string; value?: string }[];
}

export interface CheckSummary {
  checkIndex: number;
  id?: string;
  type: Worded;
  /** "Liveness (attempt 2 of 2)". */
  label: string;
  sameTypeNumber: number;
  sameTypeCount: number;
  state: Worded;
  recommendation: Worded;
  reason?: ReasonDescription;
  recoverySuggestion?: RecoveryDescription;
  subChecks: SubCheckSummary[];
  resources: ResourceRef[];
  missingResources: string[];
  /** Rejected, not available, or failed at Yoti. */
  warning: boolean;
}

export interface DocumentSummary {
  label: string;
  resourceId?: string;
  kind: 'ID_DOCUMENT' | 'SUPPLEMENTARY_DOCUMENT';
  documentType: Worded;
  issuingCountry?: string;
  pages: number;
  /** Which media holds the fields to trust (undefined when the resource has no id). */
  fields?: AuthoritativeDocumentFields;
  checks: CheckRef[];
}

export interface LivenessSummary {
  label: string;
  resourceId?: string;
  livenessType: Worded;
  frames: number;
  capturedFrames: number;
  checks: CheckRef[];
}

export interface SessionSummary {
  sessionId?: string;
  state: Worded;
  /** Seconds left on the client session token; 0 when expired. */
  tokenTtlSeconds?: number;
  tokenExpired?: boolean;
  userTrackingId?: string;
  biometricConsent?: string;
  overall: { value: OverallRecommendation; text: string };
  warnings: Warning[];
  checks: CheckSummary[];
  faceMatches: FaceMatchResult[];
  documents: DocumentSummary[];
  liveness: LivenessSummary[];
  media: MediaItem[];
  problems: Problem[];
}

const worded = (value: string | undefined, words: (v: string | undefined) => string): Worded => ({ value, text: words(value) });

/**
 * Yoti's overall view, for the reviewer: each check type counts once, by its latest attempt (a
 * liveness REJECT followed by an APPROVE retry is an APPROVE; every attempt stays listed, and the
 * rejected one stays among the warnings). Then REJECT if any counted check rejects; else
 * NOT_AVAILABLE if any is not available; else APPROVE if every counted check is DONE and approves;
 * else PENDING.
 */
export function overallRecommendation(session: Session): OverallRecommendation {
  const latest = new Map<string, NonNullable<Session['checks']>[number]>();
  (session.checks ?? []).forEach((c, i) => latest.set(c.type ?? `#${i}`, c));
  const counted = [...latest.values()];
  const done = counted.filter((c) => c.state === 'DONE');
  const rec = (c: (typeof counted)[number]): string | undefined => c.report?.recommendation?.value;
  if (done.some((c) => rec(c) === 'REJECT')) return 'REJECT';
  if (done.some((c) => rec(c) === 'NOT_AVAILABLE')) return 'NOT_AVAILABLE';
  if (counted.length > 0 && counted.every((c) => c.state === 'DONE' && rec(c) === 'APPROVE')) return 'APPROVE';
  return 'PENDING';
}

export function summarizeSession(session: Session, opts: SummarizeOptions = {}): SessionSummary {
  const threshold = opts.faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD;
  const faceMatches = faceMatch(session, threshold);
  const problems = [...(opts.problems ?? [])];

  const checks: CheckSummary[] = linkChecks(session).map((lc) => {
    const rec = lc.check.report?.recommendation;
    const typeText = checkTypeWords(lc.type);
    const recValue = rec?.value;
    const warning = lc.check.state === 'INTERNAL_ERROR' || (lc.check.state === 'DONE' && (recValue === 'REJECT' || recValue === 'NOT_AVAILABLE'));
    return {
      checkIndex: lc.checkIndex,
      id: lc.id,
      type: { value: lc.type, text: typeText },
      label: lc.sameTypeCount > 1 ? `${typeText} (attempt ${lc.sameTypeNumber} of ${lc.sameTypeCount})` : typeText,
      sameTypeNumber: lc.sameTypeNumber,
      sameTypeCount: lc.sameTypeCount,
      state: worded(lc.check.state, checkStateWords),
      recommendation: worded(recValue, recommendationWords),
      reason: rec?.reason === undefined ? undefined : describeReason(lc.type, rec.reason),
      recoverySuggestion: rec?.recovery_suggestion === undefined ? undefined : describeRecoverySuggestion(rec.recovery_suggestion),
      subChecks: (lc.check.report?.breakdown ?? []).map((b) => ({
        name: worded(b.sub_check, subCheckWords),
        result: worded(b.result, resultWords),
        process: b.process === undefined ? undefined : worded(b.process, processWords),
        failed: b.result === 'FAIL',
        details: (b.details ?? []).map((d) => ({ name: d.name, value: d.value })),
      })),
      resources: lc.resources,
      missingResources: lc.missing,
      warning,
    };
  });

  const attempts = listAttempts(session);
  const fieldsOf = documentFieldsResolver(session);
  const documents: DocumentSummary[] = [];
  const liveness: LivenessSummary[] = [];
  for (const a of attempts) {
    if (a.kind === 'ID_DOCUMENT' || a.kind === 'SUPPLEMENTARY_DOCUMENT') {
      documents.push({
        label: a.label,
        resourceId: a.id,
        kind: a.kind,
        documentType: worded(a.resource.document_type, documentTypeWords),
        issuingCountry: a.resource.issuing_country,
        pages: a.resource.pages?.length ?? 0,
        fields: a.id === undefined ? undefined : fieldsOf(a.id),
        checks: a.checks,
      });
    } else if (a.kind === 'LIVENESS') {
      const frames = a.resource.frames ?? [];
      liveness.push({
        label: a.label,
        resourceId: a.id,
        livenessType: worded(a.resource.liveness_type, livenessTypeWords),
        frames: frames.length,
        capturedFrames: frames.filter((f) => f.media?.id !== undefined && f.media.id !== '').length,
        checks: a.checks,
      });
    }
  }

  const overall = overallRecommendation(session);
  return {
    sessionId: session.session_id,
    state: worded(session.state, sessionStateWords),
    tokenTtlSeconds: session.client_session_token_ttl,
    tokenExpired: session.client_session_token_ttl === undefined ? undefined : session.client_session_token_ttl <= 0,
    userTrackingId: session.user_tracking_id,
    biometricConsent: session.biometric_consent,
    overall: { value: overall, text: recommendationWords(overall) },
    warnings: warningsFor(checks, faceMatches, problems),
    checks,
    faceMatches,
    documents,
    liveness,
    media: listMedia(session),
    problems,
  };
}

function warningsFor(checks: CheckSummary[], faceMatches: FaceMatchResult[], problems: Problem[]): Warning[] {
  const byKind = (kind: WarningKind, pick: (c: CheckSummary) => boolean, text: (c: CheckSummary) => string): Warning[] =>
    checks.filter(pick).map((c) => ({ kind, text: text(c), checkIndex: c.checkIndex, checkId: c.id }));
  const because = (c: CheckSummary): string => {
    const parts: string[] = [];
    if (c.reason) parts.push(c.reason.text);
    if (c.recoverySuggestion) parts.push(`suggestion: ${c.recoverySuggestion.text}`);
    return parts.length > 0 ? `: ${parts.join('; ')}` : '';
  };
  const isDone = (c: CheckSummary): boolean => c.state.value === 'DONE';

  const warnings: Warning[] = [
    ...byKind('CHECK_REJECTED', (c) => isDone(c) && c.recommendation.value === 'REJECT', (c) => `${c.label} — rejected${because(c)}`),
    ...byKind(
      'CHECK_NOT_AVAILABLE',
      (c) => isDone(c) && c.recommendation.value === 'NOT_AVAILABLE',
      (c) => `${c.label} — could not be done${because(c)}`,
    ),
    ...byKind('CHECK_INTERNAL_ERROR', (c) => c.state.value === 'INTERNAL_ERROR', (c) => `${c.label} — failed at Yoti (internal error)`),
  ];
  for (const c of checks) {
    for (const s of c.subChecks) {
      if (s.failed) {
        warnings.push({ kind: 'SUB_CHECK_FAILED', text: `${c.label} — failed: ${s.name.text}`, checkIndex: c.checkIndex, checkId: c.id });
      }
    }
  }
  for (const f of faceMatches) {
    if (f.aboveThreshold) continue;
    const check = checks[f.checkIndex]; // checks are in session order, so checkIndex is the position
    const label = check?.label ?? 'Face match';
    const text =
      f.score === null
        ? f.scoreText === undefined
          ? `${label} — no confidence score`
          : `${label} — confidence score "${f.scoreText}" is not a number from 0 to 1`
        : `${label} — confidence score ${f.score} is not above ${f.threshold}`;
    if (f.score !== null || f.scoreText !== undefined || f.state === 'DONE') {
      warnings.push({ kind: 'FACE_MATCH_NOT_ABOVE_THRESHOLD', text, checkIndex: f.checkIndex, checkId: f.checkId });
    }
  }
  for (const c of checks) {
    for (const id of c.missingResources) {
      warnings.push({ kind: 'MISSING_RESOURCE', text: `${c.label} — used resource ${id}, which is not in the session`, checkIndex: c.checkIndex, checkId: c.id });
    }
  }
  if (problems.length > 0) {
    warnings.push({
      kind: 'SESSION_PARTS_UNREADABLE',
      text: `${problems.length} part${problems.length === 1 ? '' : 's'} of the session could not be read and ${problems.length === 1 ? 'was' : 'were'} left out`,
    });
  }
  return warnings;
}
