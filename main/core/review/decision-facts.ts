import { LocalError } from '../../../common/errors';
import type { DecisionFacts } from '../../../common/review/guardrails';
import { documentFacts, todayUtc } from '../../../common/session/document-facts';
import type { MediaRole } from '../../../common/session/media';
import { storedFieldsReader } from '../store/stored-fields';
import { storedSummary } from './stored-summary';

/** The captures a reviewer looks at to see the person (at least one of them must be viewed). */
const LIVENESS_ROLES: ReadonlySet<MediaRole> = new Set(['LIVENESS_FRAME', 'LIVENESS_IMAGE', 'FACE_CAPTURE_IMAGE']);

/**
 * What the decision guardrails check a decision against, read from the stored session: Yoti's result
 * and progress, the warnings (with the face-match threshold in force), the expiry and age each
 * document's stored fields give, and the pages and liveness captures a reviewer should have seen.
 */
export async function readDecisionFacts(
  deps: Parameters<typeof storedSummary>[0],
  sessionId: string,
  opts: { faceMatchThreshold: number; now: Date },
): Promise<DecisionFacts> {
  const read = await storedSummary(deps, sessionId, { faceMatchThreshold: opts.faceMatchThreshold });
  if (read === null) throw new LocalError('SESSION_NOT_CACHED', `Session ${sessionId} is not in the local store: fetch it first.`);
  const { summary } = read;
  const readFields = storedFieldsReader(deps.sessions, sessionId);
  const today = todayUtc(opts.now);

  const documents: DecisionFacts['documents'] = [];
  for (const doc of summary.documents) {
    if (doc.fields === undefined || doc.fields.source === 'NONE') continue;
    const fields = await readFields(doc.fields.mediaId);
    if (fields === undefined) continue;
    const facts = documentFacts(fields, today);
    documents.push({ label: doc.label, daysToExpiry: facts.daysToExpiry, ageToday: facts.ageToday });
  }

  const viewable = summary.media.filter((m) => m.captured && m.fetchable && m.mediaId !== undefined);
  return {
    yoti: { result: summary.overall.value, text: summary.overall.text },
    yotiFinished: summary.yotiFinished,
    statusText: summary.status.text,
    warnings: summary.warnings.flatMap((w) => (w.severity === 'notice' ? [] : [{ severity: w.severity, text: w.text }])),
    documents,
    pages: viewable.filter((m) => m.role === 'DOCUMENT_PAGE').map((m) => ({ mediaId: m.mediaId ?? '', label: m.label })),
    livenessCaptures: viewable.filter((m) => LIVENESS_ROLES.has(m.role)).map((m) => ({ mediaId: m.mediaId ?? '', label: m.label })),
    faceMatchThreshold: opts.faceMatchThreshold,
  };
}
