import { isAppError } from '../../../common/errors';
import { readChangedFields } from '../../../common/session/changed-fields';
import { parseSession } from '../../../common/session/parse';
import type { Session } from '../../../common/session/schema';
import { summarizeSession, type SessionSummary } from '../../../common/session/summary';
import type { SeenBeforeMatchInput } from '../../../common/session/warnings';
import type { SessionMeta, SessionStore } from '../store/session-store';
import { storedFieldsReader } from '../store/stored-fields';

export interface StoredSummary {
  stored: { body: Buffer; meta: SessionMeta };
  session: Session;
  summary: SessionSummary;
  seenBefore: SeenBeforeMatchInput[];
  /** Why the other sessions of the same document or person could not be looked up, in words. */
  seenBeforeProblem?: string;
}

/**
 * A stored session summarised as every surface shows it (the app, `show`, the PDF, the decision
 * guardrails): the fields the text check changed, read from the stored media, and the other stored
 * sessions of the same document or person, a match fetched after `decidedAt` marked as known only
 * after the decision. Null when the session is not stored.
 */
export async function storedSummary<M extends SeenBeforeMatchInput>(
  deps: { sessions: Pick<SessionStore, 'loadSession' | 'loadMedia'>; seenBefore: (sessionId: string) => Promise<M[]> },
  sessionId: string,
  opts: { faceMatchThreshold: number; decidedAt?: string },
): Promise<(StoredSummary & { seenBefore: M[] }) | null> {
  const stored = await deps.sessions.loadSession(sessionId);
  if (stored === null) return null;
  const { session, problems } = parseSession(stored.body);
  const changedFields = await readChangedFields(session, storedFieldsReader(deps.sessions, sessionId));
  let seenBefore: M[] = [];
  let seenBeforeProblem: string | undefined;
  try {
    seenBefore = await deps.seenBefore(sessionId);
  } catch (err) {
    if (!isAppError(err)) throw err;
    seenBeforeProblem = `Earlier sessions of the same document or person could not be checked: ${err.message.replace(/\.$/, '')}.`;
  }
  const summary = summarizeSession(session, { faceMatchThreshold: opts.faceMatchThreshold, problems, changedFields, seenBefore, decidedAt: opts.decidedAt });
  return { stored, session, summary, seenBefore, ...(seenBeforeProblem === undefined ? {} : { seenBeforeProblem }) };
}
