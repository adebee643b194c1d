import { effectiveRetentionDays } from '../core/settings';
import type { SessionStore } from '../core/store/session-store';
import type { LocalCopiesPort, SettingsPort } from './ports';

const DAY_MS = 24 * 60 * 60 * 1000;

/** fetchedAt + the retention setting. */
export function retainUntil(fetchedAt: string, retentionDays: number): string | undefined {
  const t = Date.parse(fetchedAt);
  if (Number.isNaN(t)) return undefined;
  return new Date(t + retentionDays * DAY_MS).toISOString();
}

/**
 * The default local-copies port: deletes straight from the SessionStore (one atomic rename per
 * session), and computes retain-until as the last fetch + the retention setting. The offline store
 * (main/core/review/offline-store.ts) fits this port with its audited, locked deletions and
 * per-session retention: `{ deleteSession: (s, scope) => o.deleteSessionLocally(s, scope),
 * deleteMedia: (s, m, scope) => o.deleteMediaLocally(s, m, scope), retainUntil: async (s) => (await o.retention(s))?.retainUntil }`.
 */
export function directLocalCopies(store: () => Promise<SessionStore>, settings: SettingsPort): LocalCopiesPort {
  return {
    async deleteSession(sessionId) {
      return (await store()).deleteSession(sessionId);
    },
    async deleteMedia(sessionId, mediaId) {
      return (await store()).deleteMedia(sessionId, mediaId);
    },
    async retainUntil(sessionId) {
      const meta = (await (await store()).listSessions()).find((s) => s.sessionId === sessionId);
      if (!meta || 'damaged' in meta) return undefined;
      return retainUntil(meta.fetchedAt, effectiveRetentionDays(await settings.load()));
    },
  };
}
