import type { ReasonOption, SessionView } from '../../../../common/ipc/contract';

/**
 * The reasons the session itself suggests, listed first: the reason codes of checks that did not
 * approve (matched through each reason's aliases, so Yoti's EXPIRED_DOCUMENT suggests
 * DOCUMENT_EXPIRED), a face match not above the threshold, a field the text check changed, and a
 * match with another session. Pure.
 */
export function suggestedReasons(reasons: readonly ReasonOption[], view: SessionView): string[] {
  const byCode = new Map<string, string>();
  for (const r of reasons) for (const c of [r.code, ...r.aliases]) byCode.set(c, r.code);
  const wanted: string[] = [];
  for (const c of view.summary.checks) {
    if (c.recommendation.value === 'APPROVE' || c.reason === undefined) continue;
    wanted.push(c.reason.code);
  }
  const kinds = new Set(view.summary.warnings.map((w) => w.kind));
  if (kinds.has('FACE_MATCH_NOT_ABOVE_THRESHOLD')) wanted.push('FACE_MISMATCH');
  if (kinds.has('FIELD_CHANGED')) wanted.push('DATA_MISMATCH');
  if (view.seenBefore.length > 0) wanted.push('SEEN_BEFORE');
  const out: string[] = [];
  for (const code of wanted) {
    const known = byCode.get(code);
    if (known !== undefined && !out.includes(known)) out.push(known);
  }
  return out;
}
