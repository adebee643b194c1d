/**
 * The browser bridge: the built renderer in a real Chromium, talking to the REAL handler table over the
 * real services and ports (key vault on the OS keychain, the offline store with its review records,
 * audit log, PDF reports and seen-before index, the demo server), without Electron.
 *
 * - A node:http server on 127.0.0.1:0 serves out/renderer and `/media/<token>` with exactly the
 *   bodies and headers of the app:// and idv-media:// protocols (main/shell/content.ts: same CSP,
 *   nosniff, no-store, same path rules, same media allowlist).
 * - `attach(page)` gives the page a `window.api` built by the preload's own createApi
 *   (preload/create-api.ts, bundled with esbuild at test time), whose invoke goes through
 *   page.exposeFunction to the handler table and whose events come from the services' event port.
 * - Dialogs are scripted (`bridge.dialogs.nextOpenFile`, `nextSavePath`, `nextConfirm`).
 *
 * What it does not exercise: Electron's sandbox, contextBridge's cloning and the sender checks
 * (those are unit-tested in test/unit/shell). Used by `npm start` where Electron cannot run (through
 * scripts/dev-browser.mjs), by the e2e tests and by the benchmarks; never packaged into the Electron app.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { KeytarSecretStore, MemorySecretStore, type SecretStore } from '../core/keys/secret-store';
import { API_CHANNELS, channelWireName, eventWireName } from '../../common/ipc/channels';
import { composeServices, type ComposedServices, type ComposeOptions } from '../ipc/compose';
import type { Channel, EventName, Events, Result } from '../../common/ipc/contract';
import { forbidden } from '../ipc/errors';
import { createHandlers } from '../ipc/handlers';
import type { OfflinePorts } from '../ipc/offline-ports';
import type { Handlers } from '../ipc/ports';
import { mediaReply, rendererFile, textReply, type HttpReply } from '../shell/content';
import { serveOnLoopback } from './loopback-server';
import { RecordingReviews } from './recording-reviews';
import { ScriptedDialogs } from './scripted-dialogs';

export interface StartBridgeOptions {
  /** Default: a fresh temp folder, removed by close(). */
  dataDir?: string;
  /** Start the demo server in process and point the settings at it (default true). */
  startDemo?: boolean;
  /**
   * 'keychain' (default): the real OS keychain through @github/keytar, as the app uses it; the
   * accounts get a per-run prefix and are deleted by close(). 'memory': an in-process store.
   */
  secrets?: 'keychain' | 'memory';
  /** A fixed keychain prefix that close() keeps (dev:browser); default `e2e-<uuid>/`. */
  keychainPrefix?: string;
  /** The built renderer (default out/renderer). */
  rendererDir?: string;
  /** Replacements for the stores' ports, for tests that need them (default: the real ones over the offline store). */
  ports?: Partial<OfflinePorts>;
  /** Extra options for the services (client timeouts, demo server faults…). */
  compose?: Pick<ComposeOptions, 'clientOptions' | 'demoServer' | 'clock' | 'osAccount'>;
}

export interface Bridge {
  /** `http://127.0.0.1:PORT/index.html` */
  rendererUrl: string;
  origin: string;
  /** Gives the page `window.api` (createApi over the handler table) and the event bridge. Call before page.goto. */
  attach(page: Page): Promise<void>;
  handlers: Handlers;
  services: ComposedServices;
  dialogs: ScriptedDialogs;
  /** Every event emitted to the page(s), in order. */
  events: Array<{ event: EventName; payload: unknown }>;
  /** Pushes an event to the attached pages, e.g. `emit('menu-command', { command: 'next-undecided' })`. */
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /**
   * Plays the computer losing (false) or getting back (true) its network, as Electron's net.isOnline()
   * tells the app: offline at once, whatever the API answered; back, the API's own answers decide.
   */
  setOnline(online: boolean): void;
  /** What the reviews port (the real one unless replaced through `ports`) was asked and answered. */
  memory: { reviews: RecordingReviews };
  demoServerUrl?: string;
  /**
   * Stops the demo server but leaves the API URL pointing at it: requests may no longer go there (it
   * is not the demo server main runs), so the API is offline for that reason, until a person allows
   * the host (updateSettings); then it is offline because the connection is refused.
   */
  stopDemoServer(): Promise<void>;
  dataDir: string;
  close(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let apiBundle: Promise<string> | undefined;

/** preload/create-api.ts as a browser script defining `__idvBridgeApi.createApi`. */
export function createApiBundle(): Promise<string> {
  apiBundle ??= build({
    entryPoints: [join(REPO_ROOT, 'preload', 'create-api.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__idvBridgeApi',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  }).then((r) => r.outputFiles[0]?.text ?? '');
  return apiBundle;
}

/** What the bridge reads and adds on the page's window. */
interface PageWindow {
  top: unknown;
  __idvInvoke(wire: string, args: unknown): Promise<unknown>;
  __idvDispatch?: (wire: string, payload: unknown) => void;
}

/** Runs in the page before its own scripts (main frame only, like a preload). */
function installApi(bundled: { createApi(invoke: unknown, subscribe: unknown): unknown }): void {
  // main/ compiles without the DOM library: the page's window is reached as globalThis
  const window = globalThis as unknown as PageWindow;
  if (window !== window.top) return;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  Object.defineProperty(window, '__idvDispatch', {
    value: (wire: string, payload: unknown) => {
      for (const l of [...(listeners.get(wire) ?? [])]) {
        try {
          l(payload);
        } catch (e) {
          setTimeout(() => {
            throw e;
          });
        }
      }
    },
  });
  const invoke = (wire: string, args: unknown) => window.__idvInvoke(wire, args);
  const subscribe = (wire: string, listener: (payload: unknown) => void) => {
    let set = listeners.get(wire);
    if (!set) listeners.set(wire, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };
  Object.defineProperty(window, 'api', { value: bundled.createApi(invoke, subscribe), enumerable: true, writable: false, configurable: false });
}

/** The SecretStore with every account under a prefix, so tests never touch the app's real items. */
class PrefixedSecretStore implements SecretStore {
  readonly touched = new Set<string>();
  constructor(
    private readonly inner: SecretStore,
    private readonly prefix: string,
  ) {}
  get(account: string) {
    return this.inner.get(this.prefix + account);
  }
  set(account: string, secret: string) {
    this.touched.add(this.prefix + account);
    return this.inner.set(this.prefix + account, secret);
  }
  delete(account: string) {
    return this.inner.delete(this.prefix + account);
  }
  async forgetAll(): Promise<void> {
    for (const account of this.touched) await this.inner.delete(account).catch(() => false);
  }
}

export async function startBridge(opts: StartBridgeOptions = {}): Promise<Bridge> {
  const ownsDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'idv-bridge-')));
  const rendererDir = opts.rendererDir ?? join(REPO_ROOT, 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(rendererDir, 'index.html')} is missing): run npm run build first.`);
  }
  const keychain = (opts.secrets ?? 'keychain') === 'keychain';
  if (keychain && process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error("The bridge uses the OS keychain and there is no D-Bus session: run it under npm test (or pass secrets: 'memory').");
  }
  const prefixed = keychain ? new PrefixedSecretStore(new KeytarSecretStore(), opts.keychainPrefix ?? `e2e-${randomUUID()}/`) : undefined;
  const secrets: SecretStore = prefixed ?? new MemorySecretStore();

  const pages = new Set<Page>();
  const emitted: Bridge['events'] = [];
  let networkUp = true;

  const server = await serveOnLoopback(async (req, res, port) => {
    let reply: HttpReply;
    if (req.headers.host !== `127.0.0.1:${port}`) reply = textReply(421, 'Misdirected request');
    else {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (url.pathname.startsWith('/media/')) {
        // (No request can arrive before `services` exists: nobody knows the port yet.)
        reply = url.search !== '' ? textReply(404, 'Not found') : await mediaReply(services.media, url.pathname.slice('/media/'.length), req.method);
      } else reply = await rendererFile(rendererDir, url.pathname, req.method);
    }
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body ?? undefined);
  });
  const { origin } = server;

  const emit = <E extends EventName>(event: E, payload: Events[E]): void => {
    emitted.push({ event, payload });
    for (const page of pages) {
      page
        .evaluate(([wire, p]) => (globalThis as unknown as PageWindow).__idvDispatch?.(wire, p), [eventWireName(event), payload] as const)
        .catch(() => undefined);
    }
  };

  const dialogs = new ScriptedDialogs();
  const composed = composeServices({
    dataDir,
    secrets,
    appVersion: '0.0.0-bridge',
    dialogs,
    events: { emit },
    mediaBase: `${origin}/media/`,
    networkUp: () => networkUp,
    log: { info: () => undefined, warn: () => undefined, error: (m) => console.error(`[bridge] ${m}`) },
    ports: opts.ports,
    ...opts.compose,
  });
  const reviews = new RecordingReviews(composed.reviews);
  const services: ComposedServices = { ...composed, reviews };
  const handlers = createHandlers(services);
  const byWire = new Map<string, Channel>(API_CHANNELS.map((c) => [channelWireName(c), c]));

  let demoServerUrl: string | undefined;
  if (opts.startDemo ?? true) {
    const result = await handlers.startDemo({}, { senderId: 0 });
    if (!result.ok) throw new Error(`The demo did not start: ${result.error.code}: ${result.error.message}`);
    demoServerUrl = result.value.apiUrl;
  }
  // As the app does once its window is open: watch whether the configured API answers.
  composed.reachability.start();
  const bundle = await createApiBundle();

  return {
    rendererUrl: `${origin}/index.html`,
    origin,
    handlers,
    services,
    dialogs,
    events: emitted,
    emit,
    memory: { reviews },
    demoServerUrl,
    dataDir,
    setOnline(value: boolean) {
      networkUp = value;
      composed.reachability.refresh();
    },
    async attach(page: Page) {
      await page.exposeFunction('__idvInvoke', async (wire: string, args: unknown): Promise<Result<unknown>> => {
        const channel = byWire.get(wire);
        if (channel === undefined) return { ok: false, error: forbidden() };
        return (await handlers[channel](args, { senderId: 0 }));
      });
      await page.addInitScript({ content: `${bundle}\n;(${installApi.toString()})(__idvBridgeApi);` });
      pages.add(page);
      page.once('close', () => pages.delete(page));
    },
    async stopDemoServer() {
      await composed.demo.stop({ keepApiUrl: true });
      composed.reachability.refresh();
    },
    async close() {
      pages.clear();
      await server.close();
      await composed.close();
      if (prefixed && opts.keychainPrefix === undefined) await prefixed.forgetAll();
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
