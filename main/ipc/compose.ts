import { userInfo } from 'node:os';
import { KeyVault } from '../core/keys/key-vault';
import type { SecretStore } from '../core/keys/secret-store';
import { redact } from '../core/redact';
import { loadSettings, saveSettings } from '../core/settings';
import { SessionStore } from '../core/store/session-store';
import { createDemoController, type ClosableDemoController, type DemoControllerOptions } from './demo-controller';
import { MediaRegistry } from './media-registry';
import { directLocalCopies } from './local-copies';
import type { AuditPort, Clock, DialogsPort, EventsPort, LocalCopiesPort, Logger, ReportsPort, ReviewsPort, SeenBeforePort, Services, SyncPort } from './ports';
import { directSync } from './sync';
import { unwiredAudit, unwiredReports, unwiredReviews } from './unwired';

/**
 * Builds the Services over the real core modules. Used by the Electron shell (main/shell/app.ts) and
 * the test bridge, which differ only in the I/O ports they pass (dialogs, events, online probe,
 * where media URLs point, which keychain).
 */
export interface ComposeOptions {
  dataDir: string;
  secrets: SecretStore;
  appVersion: string;
  dialogs: DialogsPort;
  events: EventsPort;
  /** `idv-media://media/` in Electron, `http://127.0.0.1:PORT/media/` in the bridge. */
  mediaBase: string;
  online?: () => Promise<boolean>;
  clock?: Clock;
  osAccount?: string;
  log?: Logger;
  reviews?: ReviewsPort;
  audit?: AuditPort;
  reports?: ReportsPort;
  seenBefore?: SeenBeforePort;
  /** Default: directSync over the store. */
  sync?: SyncPort;
  /** Default: directLocalCopies over the store and the settings. */
  local?: LocalCopiesPort;
  /** Default: a SessionStore on the vault's cache key. */
  store?: () => Promise<SessionStore>;
  clientOptions?: Services['clientOptions'];
  demoServer?: DemoControllerOptions['server'];
}

export interface ComposedServices extends Services {
  demo: ClosableDemoController;
  /** Stops the demo server (restoring the apiUrl setting) and forgets media tokens. */
  close(): Promise<void>;
}

export function composeServices(o: ComposeOptions): ComposedServices {
  const clock: Clock = o.clock ?? { now: () => new Date() };
  const vault = new KeyVault({ secrets: o.secrets, dataDir: o.dataDir, now: () => clock.now() });
  let storePromise: Promise<SessionStore> | undefined;
  const ownStore = (): Promise<SessionStore> => {
    const p = (storePromise ??= vault.cacheKey().then((key) => {
      try {
        return new SessionStore({ dataDir: o.dataDir, key });
      } finally {
        key.fill(0);
      }
    }));
    // A locked keychain must not poison every later call: try again next time.
    p.catch(() => {
      if (storePromise === p) storePromise = undefined;
    });
    return p;
  };
  const store = o.store ?? ownStore;
  const settings = { load: () => loadSettings(o.dataDir), save: (s: Parameters<typeof saveSettings>[1]) => saveSettings(o.dataDir, s) };
  const media = new MediaRegistry({ base: o.mediaBase, store });
  const demo = createDemoController({ vault, settings, server: o.demoServer });
  return {
    dataDir: o.dataDir,
    appVersion: o.appVersion,
    osAccount: o.osAccount ?? osAccountName(),
    vault,
    store,
    sync: o.sync ?? directSync(store),
    local: o.local ?? directLocalCopies(store, settings),
    settings,
    dialogs: o.dialogs,
    clock,
    online: o.online ?? (() => Promise.resolve(true)),
    events: o.events,
    media,
    demo,
    reviews: o.reviews ?? unwiredReviews,
    audit: o.audit ?? unwiredAudit,
    reports: o.reports ?? unwiredReports,
    seenBefore: o.seenBefore,
    log: o.log ?? consoleLogger,
    clientOptions: o.clientOptions,
    async close() {
      await demo.close();
      media.revokeAll();
    },
  };
}

/** The operating-system account, recorded with every decision (threat T8). */
export function osAccountName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** One redacted line per message on stderr. */
export const consoleLogger: Logger = {
  warn: (m) => console.warn(`[idv-review] ${redact(m)}`),
  error: (m) => console.error(`[idv-review] ${redact(m)}`),
};
