import { UsageError } from '../errors';
import type { Breakdown, Check, Session } from './schema';

/**
 * ID_DOCUMENT_FACE_MATCH results. Yoti: "a confidence score (between 0 and 1) … Yoti offers a PASS
 * score if the confidence score is over 0.7"; the face-match report page gives no number, so the
 * threshold is ours to configure (default 0.7).
 */

export const DEFAULT_FACE_MATCH_THRESHOLD = 0.7;

export interface FaceMatchResult {
  /** Position in `session.checks`. */
  checkIndex: number;
  checkId?: string;
  /** 1-based among the face-match checks (every retry is its own entry). */
  attempt: number;
  state?: string;
  recommendation?: string;
  reason?: string;
  recoverySuggestion?: string;
  /** `ai_face_match` → `confidence_score`, as a number in 0..1; null when absent or not a number in range. */
  score: number | null;
  /** The score exactly as Yoti sent it (for display when it could not be read). */
  scoreText?: string;
  aiResult?: string;
  manualResult?: string;
  threshold: number;
  /** score > threshold (false when there is no score). */
  aboveThreshold: boolean;
  resourcesUsed: string[];
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Reads a confidence score: a plain decimal in 0..1, else null. */
export function parseConfidenceScore(value: string | undefined): number | null {
  if (value === undefined) return null;
  const t = value.trim();
  if (!DECIMAL.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
}

/** Throws UsageError INVALID_THRESHOLD unless 0 ≤ threshold ≤ 1. */
export function assertThreshold(threshold: number): number {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) {
    throw new UsageError('INVALID_THRESHOLD', 'The face-match threshold must be a number from 0 to 1.');
  }
  return threshold;
}

const subCheck = (check: Check, name: string): Breakdown | undefined => check.report?.breakdown?.find((b) => b.sub_check === name);

/** Every ID_DOCUMENT_FACE_MATCH check, retries included, in check order. */
export function faceMatch(session: Session, threshold: number = DEFAULT_FACE_MATCH_THRESHOLD): FaceMatchResult[] {
  assertThreshold(threshold);
  const out: FaceMatchResult[] = [];
  (session.checks ?? []).forEach((check, checkIndex) => {
    if (check.type !== 'ID_DOCUMENT_FACE_MATCH') return;
    const ai = subCheck(check, 'ai_face_match');
    const scoreText = ai?.details?.find((d) => d.name === 'confidence_score')?.value;
    const score = parseConfidenceScore(scoreText);
    const rec = check.report?.recommendation;
    out.push({
      checkIndex,
      checkId: check.id,
      attempt: out.length + 1,
      state: check.state,
      recommendation: rec?.value,
      reason: rec?.reason,
      recoverySuggestion: rec?.recovery_suggestion,
      score,
      scoreText,
      aiResult: ai?.result,
      manualResult: subCheck(check, 'manual_face_match')?.result,
      threshold,
      aboveThreshold: score !== null && score > threshold,
      resourcesUsed: [...(check.resources_used ?? [])],
    });
  });
  return out;
}
