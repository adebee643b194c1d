import { linkChecks, listAttempts, type CheckRef, type ResourceRef } from './attempts';
import { documentFieldsResolver, type AuthoritativeDocumentFields } from './document-fields';
import { DEFAULT_FACE_MATCH_THRESHOLD, faceMatch, type FaceMatchResult } from './face-match';
import { listMedia, type MediaItem } from './media';
import { overallResult, yotiProgress, type OverallValue, type YotiProgress } from './overall';
import { describeReason, describeRecoverySuggestion, type ReasonDescription, type RecoveryDescription } from './reasons';
import type { Session } from './schema';
import { reviewStatus, type ReviewStatus } from './review-status';
import { sessionTimes, type SessionTimes } from './times';
import type { Problem } from './tolerant';
import { warningsFor, type ChangedField, type SeenBeforeMatchInput, type Warning } from './warnings';
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
  taskTypeWords,
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
  /** Fields the manual text data check changed against the document's own extraction (read from the stored media). */
  changedFields?: readonly ChangedField[];
  /** Other stored sessions of the same document or person: a SEEN_BEFORE warning. */
  seenBefore?: readonly SeenBeforeMatchInput[];
  /** When this session's final decision was made (marks matches known only after it). */
  decidedAt?: string;
}

/** A code and its plain words (the code itself when unknown; "Not given" when absent). */
export interface Worded {
  value?: string;
  text: string;
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
  /** As Yoti gives them. */
  created?: string;
  lastUpdated?: string;
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
  /** Created and completed, derived from the times Yoti gives inside the session (times.ts). */
  times: SessionTimes;
  /** Yoti's overall result (overall.ts): PENDING only while Yoti is still working. */
  overall: { value: OverallValue; text: string };
  /** The session is COMPLETED and every counted check is DONE. */
  yotiFinished: boolean;
  /** How far Yoti has got (the input of reviewStatus). */
  progress: YotiProgress;
  /** Where the session stands, before any decision (reviewStatus({ yoti: progress })). */
  status: ReviewStatus;
  /** One per finding, most severe first (warnings.ts). */
  warnings: Warning[];
  checks: CheckSummary[];
  faceMatches: FaceMatchResult[];
  documents: DocumentSummary[];
  liveness: LivenessSummary[];
  media: MediaItem[];
  /** Yoti's tasks on each resource (text extraction and the like), in session order. */
  tasks: TaskSummary[];
  problems: Problem[];
}

export interface TaskSummary {
  /** "Document 1". */
  resource: string;
  type: Worded;
  state?: string;
  id?: string;
  created?: string;
  lastUpdated?: string;
  generatedChecks: number;
  generatedMedia: number;
}

/** "2 checks, 1 media item": what a task generated. */
export function taskOutputWords(t: Pick<TaskSummary, 'generatedChecks' | 'generatedMedia'>): string {
  return `${t.generatedChecks} check${t.generatedChecks === 1 ? '' : 's'}, ${t.generatedMedia} media item${t.generatedMedia === 1 ? '' : 's'}`;
}

const worded = (value: string | undefined, words: (v: string | undefined) => string): Worded => ({ value, text: words(value) });

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
      created: lc.check.created,
      lastUpdated: lc.check.last_updated,
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

  const progress = yotiProgress(session);
  return {
    sessionId: session.session_id,
    state: worded(session.state, sessionStateWords),
    tokenTtlSeconds: session.client_session_token_ttl,
    tokenExpired: session.client_session_token_ttl === undefined ? undefined : session.client_session_token_ttl <= 0,
    userTrackingId: session.user_tracking_id,
    biometricConsent: session.biometric_consent,
    times: sessionTimes(session),
    overall: overallResult(session),
    yotiFinished: progress.finished,
    progress,
    status: reviewStatus({ yoti: progress }),
    warnings: warningsFor({ session, checks, faceMatches, progress, problems, changedFields: opts.changedFields, seenBefore: opts.seenBefore, decidedAt: opts.decidedAt }),
    checks,
    faceMatches,
    documents,
    liveness,
    media: listMedia(session),
    tasks: listAttempts(session).flatMap((a) =>
      (a.resource.tasks ?? []).map((t) => ({
        resource: a.label,
        type: worded(t.type, taskTypeWords),
        state: t.state,
        id: t.id,
        created: t.created,
        lastUpdated: t.last_updated,
        generatedChecks: (t.generated_checks ?? []).length,
        generatedMedia: (t.generated_media ?? []).length,
      })),
    ),
    problems,
  };
}
