import { readdir } from 'node:fs/promises';
import { isAppError } from '../../common/errors';
import { KeyVault } from '../core/keys/key-vault';
import type { SecretStore } from '../core/keys/secret-store';
import { redact } from '../core/redact';
import { currentOsAccount } from '../core/review/identity';
import { openOfflineStoreFor, type OfflineStore } from '../core/store/offline-store';
import { loadSettings, resolveApiUrl, saveSettings, type Settings } from '../core/settings';
import { evidenceRoot, hasLegacyLayout, recordsRoot } from '../core/store/layout';
import { checkApi } from '../core/yoti/api-check';
import { apiTarget } from '../core/yoti/api-hosts';
import { readExtraCa } from '../core/yoti/extra-ca';
import { ReachabilityTracker } from '../core/yoti/reachability';
import { createDemoController, type ClosableDemoController, type DemoControllerOptions } from './demo-controller';
import { MediaRegistry } from './media-registry';
import { offlinePorts, type OfflinePorts } from './offline-ports';
import type { Clock, DialogsPort, EventsPort, Logger, Services, SettingsPort } from './ports';
import { SessionQueue } from './queue';

/**
 * Builds the Services over the real core modules. Used by the Electron shell (main/shell/app.ts) and
 * the test bridge, which differ only in the I/O ports they pass (dialogs, events, the no-network
 * signal, where media URLs point, which keychain). Both watch the API with the same tracker
 * (`reachability.start()` once the window is there).
 */
export interface ComposeOptions {
  dataDir: string;
  secrets: SecretStore;
  appVersion: string;
  dialogs: DialogsPort;
  events: EventsPort;
  /** `idv-media://media/` in Electron, `http://127.0.0.1:PORT/media/` in the bridge. */
  mediaBase: string;
  /** False when the computer has no network at all (Electron's net.isOnline()); default: always up. */
  networkUp?: () => boolean;
  clock?: Clock;
  osAccount?: string;
  log?: Logger;
  /** Replacements for the stores' ports (tests); each one left out is the real one over the offline store. */
  ports?: Partial<OfflinePorts>;
  /** The report fonts (the packaged app: `resources/fonts`); default assets/fonts above the code. */
  reportFontsDir?: string;
  clientOptions?: Services['clientOptions'];
  demoServer?: DemoControllerOptions['server'];
}

export interface ComposedServices extends Services {
  demo: ClosableDemoController;
  /** Watched only once started (the app is open): checks when idle, retries while offline. */
  reachability: ReachabilityTracker;
  /**
   * The offline store with the reviewer, retention and reason catalogue of the settings in force
   * (opened again after the settings change).
   */
  offline(): Promise<OfflineStore>;
  /**
   * Deletes every session past its retain-until, and its queue entry (the app does this at start-up).
   * Logs counts only, never session ids; a failure (a locked keychain) is logged, not thrown.
   */
  purgeExpired(): Promise<void>;
  /** Stops the demo server (restoring the apiUrl setting) and forgets media tokens. */
  close(): Promise<void>;
}

export function composeServices(o: ComposeOptions): ComposedServices {
  const clock: Clock = o.clock ?? { now: () => new Date() };
  const osAccount = o.osAccount ?? currentOsAccount();
  const log = o.log ?? consoleLogger;
  const vault = new KeyVault({ secrets: o.secrets, dataDir: o.dataDir, now: () => clock.now() });

  const offline = lazy(() =>
    loadSettings(o.dataDir).then((settings) => openOfflineStoreFor({ dataDir: o.dataDir, vault, settings, osAccount: () => osAccount, now: () => clock.now() })),
  );
  const settings: SettingsPort = {
    load: () => loadSettings(o.dataDir),
    async save(next: Settings) {
      await saveSettings(o.dataDir, next);
      // The reviewer's name, the retention and the reasons are the store's: open it again with them.
      offline.reset();
    },
  };
  const queue = lazy(() =>
    vault.cacheKey().then((key) => {
      try {
        return new SessionQueue({ dataDir: o.dataDir, key });
      } finally {
        key.fill(0);
      }
    }),
  );
  const store = async () => (await offline.get()).sessions;
  const media = new MediaRegistry({ base: o.mediaBase, store });
  const demo = createDemoController({ vault, settings, server: o.demoServer });
  const reachability = new ReachabilityTracker({
    now: () => clock.now().getTime(),
    async target() {
      const s = await loadSettings(o.dataDir);
      return apiTarget(resolveApiUrl(undefined, s), s.trustedApiHosts, demo.status());
    },
    async check(apiUrl) {
      // The same certificate authorities as signed requests: a corporate proxy's CA counts here too.
      const { extraCaFile } = await loadSettings(o.dataDir);
      const ca = extraCaFile === undefined ? undefined : await readExtraCa(extraCaFile).catch(() => null);
      if (ca === null) return { answered: false, reason: 'the certificate authority file chosen in Settings could not be read' };
      return checkApi(apiUrl, ca === undefined ? {} : { ca: ca.pem });
    },
    ...(o.networkUp === undefined ? {} : { networkUp: o.networkUp }),
    onChange: (state) => o.events.emit('online-changed', state),
  });
  const online = async () => (await reachability.current()).online;
  // The database driver loads only when team mode is used.
  const team = lazy(async () => {
    const { TeamService } = await import('../core/team/team-service');
    return new TeamService({
      dataDir: o.dataDir,
      settings: () => settings.load(),
      saveSettings: (next) => settings.save(next),
      secrets: o.secrets,
      outboxKey: () => vault.subkey('team'),
      async extraCa() {
        const { extraCaFile } = await settings.load();
        return extraCaFile === undefined ? undefined : (await readExtraCa(extraCaFile)).pem;
      },
      now: () => clock.now(),
    });
  });
  const real = offlinePorts({ offline: offline.get, team: team.get, settings, clock, appVersion: o.appVersion, online, reportFontsDir: o.reportFontsDir });
  return {
    dataDir: o.dataDir,
    appVersion: o.appVersion,
    osAccount,
    vault,
    store,
    queue: queue.get,
    reviews: o.ports?.reviews ?? real.reviews,
    audit: o.ports?.audit ?? real.audit,
    reports: o.ports?.reports ?? real.reports,
    seenBefore: o.ports?.seenBefore ?? real.seenBefore,
    sync: o.ports?.sync ?? real.sync,
    local: o.ports?.local ?? real.local,
    settings,
    dialogs: o.dialogs,
    clock,
    reachability,
    events: o.events,
    media,
    demo,
    log,
    team: o.ports?.team ?? real.team,
    clientOptions: o.clientOptions,
    offline: offline.get,
    async purgeExpired() {
      // Opening the store needs the keychain: with nothing stored there is nothing to purge, and no reason to ask for it.
      const stored = async (root: string) => (await readdir(root).catch(() => [])).length > 0;
      if (!(await stored(evidenceRoot(o.dataDir))) && !(await stored(recordsRoot(o.dataDir))) && !(await hasLegacyLayout(o.dataDir))) return;
      try {
        const report = await (await offline.get()).purgeExpired(clock.now());
        for (const p of report.purged) {
          await (await queue.get()).remove(p.sessionId);
          media.revokeSession(p.sessionId);
        }
        const problems = report.problems.length > 0 ? `; ${report.problems.length} kept because when they expire could not be read` : '';
        log.info(
          `start-up purge: evidence of ${report.purged.length} session(s) past their retain-until deleted, ${report.kept} kept; ` +
            `${report.recordsPurged.length} review record(s) past the record retention deleted, ${report.recordsKept} kept${problems}`,
        );
      } catch (err) {
        log.warn(`start-up purge did not run: ${isAppError(err) ? err.code : 'internal error'}`);
      }
    },
    async close() {
      reachability.stop();
      await demo.close();
      media.revokeAll();
    },
  };
}

/** A promise made on first use and kept; a failure (a locked keychain) is not kept, so the next call tries again. */
function lazy<T>(make: () => Promise<T>): { get: () => Promise<T>; reset: () => void } {
  let promise: Promise<T> | undefined;
  return {
    get: () => {
      const p = (promise ??= make());
      p.catch(() => {
        if (promise === p) promise = undefined;
      });
      return p;
    },
    reset: () => {
      promise = undefined;
    },
  };
}

/** One redacted line per message on the console. */
export const consoleLogger: Logger = {
  info: (m) => console.info(`[idv-review] ${redact(m)}`),
  warn: (m) => console.warn(`[idv-review] ${redact(m)}`),
  error: (m) => console.error(`[idv-review] ${redact(m)}`),
};
