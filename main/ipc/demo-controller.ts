import { createPublicKey } from 'node:crypto';
import { DEMO_SDK_ID, ensureDemoKey } from '../core/demo/demo-key';
import { DEMO_SESSIONS } from '../core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer, type StartDemoServerOptions } from '../core/demo-server/server';
import type { KeyVault } from '../core/keys/key-vault';
import type { Results } from '../../common/ipc/contract';
import type { DemoController, DemoStatus, SettingsPort } from './ports';

/**
 * Demo and training mode: the Yoti-compatible server runs inside the main process on loopback,
 * with a demo key kept in the vault like a real one, and the app's apiUrl setting points at it
 * while it runs. The setting is what the UI shows, so the reviewer always sees that this is not
 * production.
 */
export interface DemoControllerOptions {
  vault: KeyVault;
  settings: SettingsPort;
  /** Extra server options (tests: faults, media sizes). The apps entry is always the demo key. */
  server?: Omit<StartDemoServerOptions, 'apps'>;
}

export interface ClosableDemoController extends DemoController {
  /** The running server, for tests (fault injection, request records). */
  readonly server: DemoServer | undefined;
  /** App quit: stop() (the random port will not exist next time), never throwing. */
  close(): Promise<void>;
}

export function createDemoController(opts: DemoControllerOptions): ClosableDemoController {
  let server: DemoServer | undefined;
  let starting: Promise<Results['startDemo']> | undefined;
  /** The apiUrl setting before start(), restored by stop(). */
  let previousApiUrl: string | undefined;

  const info = (s: DemoServer): Results['startDemo'] => ({
    apiUrl: s.baseUrl,
    sdkId: DEMO_SDK_ID,
    sessionIds: DEMO_SESSIONS.map((d) => d.sessionId),
  });

  async function start(): Promise<Results['startDemo']> {
    if (server) {
      await pointSettingsAt(server.baseUrl);
      return info(server);
    }
    const key = await ensureDemoKey(opts.vault);
    const s = await startDemoServer({ ...opts.server, apps: [{ sdkId: DEMO_SDK_ID, publicKey: createPublicKey(key) }] });
    try {
      const settings = await opts.settings.load();
      previousApiUrl = settings.apiUrl;
      await opts.settings.save({ ...settings, apiUrl: s.baseUrl });
    } catch (err) {
      await s.close();
      throw err;
    }
    server = s;
    return info(s);
  }

  async function pointSettingsAt(url: string): Promise<void> {
    const settings = await opts.settings.load();
    if (settings.apiUrl !== url) await opts.settings.save({ ...settings, apiUrl: url });
  }

  return {
    get server() {
      return server;
    },
    status(): DemoStatus {
      return server ? { running: true, apiUrl: server.baseUrl, sdkId: DEMO_SDK_ID } : { running: false };
    },
    start(): Promise<Results['startDemo']> {
      // Two quick clicks start one server.
      starting ??= start().finally(() => {
        starting = undefined;
      });
      return starting;
    },
    async stop(options?: { keepApiUrl?: boolean }): Promise<boolean> {
      const s = server;
      if (!s) return false;
      server = undefined;
      await s.close();
      if (!options?.keepApiUrl) {
        const settings = await opts.settings.load();
        if (settings.apiUrl === s.baseUrl) await opts.settings.save({ ...settings, apiUrl: previousApiUrl });
      }
      previousApiUrl = undefined;
      return true;
    },
    async close(): Promise<void> {
      await this.stop().catch(() => undefined);
    },
  };
}
