/**
 * Records what the reviewer looked at, and with which tools (api.recordEvidenceViewed): once per
 * item and tool set while a session is open, so a wheel spin is one entry, not a hundred.
 */
import { call, errorText } from '../../lib/api';
import { onSessionChange } from '../../store/actions';
import { notify, useConsole } from '../../store/store';

export type Tool = 'zoom' | 'rotate' | 'filters' | 'compare';

const done = new Set<string>();
onSessionChange(() => done.clear());

export function recordViewed(mediaId: string | undefined, tool?: Tool): void {
  const sessionId = useConsole.getState().selectedId;
  if (sessionId === null || mediaId === undefined) return;
  const key = `${sessionId}|${mediaId}|${tool ?? 'open'}`;
  if (done.has(key)) return;
  done.add(key);
  call('recordEvidenceViewed', { sessionId, mediaId, tools: tool === undefined ? {} : { [tool]: true } }).catch((e: unknown) => {
    done.delete(key);
    notify(`Could not record that this item was viewed: ${errorText(e)}`, 'error');
  });
}
