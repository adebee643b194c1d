import { Worker, parentPort } from 'node:worker_threads';
import { startDemoServer } from '../../main/core/demo-server/server';
import type { FaultRules } from '../../main/core/demo-server/faults';
import { benchSession, buildTemplate, sessionJsonBytes } from './fixture';

/**
 * The local Yoti-compatible server, run in a worker thread of the benchmark process: its latency
 * timers and bandwidth pacing then run on their own event loop, not behind the client's signing,
 * parsing and decryption, as a remote server would.
 */
export interface ServerWorkerData {
  role: 'bench-server';
  sdkId: string;
  publicKeyPem: string;
  /** How many sessions to serve (all with the 12-item fixture, each with its own ids). */
  sessions: number;
  faults: FaultRules;
}

export function isServerWorkerData(data: unknown): data is ServerWorkerData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === 'bench-server';
}

type Command =
  | { id: number; type: 'faults'; faults: FaultRules }
  | { id: number; type: 'counters' }
  | { id: number; type: 'close' };
type CommandBody = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export interface Counters {
  /** Requests answered since the previous `counters()` call, by status. */
  byStatus: Record<string, number>;
  total: number;
}

export interface ReadyMessage {
  type: 'ready';
  baseUrl: string;
  sessionIds: string[];
  mediaBytes: number;
  mediaCount: number;
  /** Bytes of one session's GET /sessions/{id} body. */
  sessionJsonBytes: number;
}

/** Worker side. */
export async function runServerWorker(data: ServerWorkerData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runServerWorker must run in a worker thread');
  const template = buildTemplate();
  const sessions = Array.from({ length: data.sessions }, (_, i) => benchSession(i, template));
  const server = await startDemoServer({ apps: [{ sdkId: data.sdkId, publicKey: data.publicKeyPem }], sessions, faults: data.faults });
  let seen = 0;
  port.on('message', (cmd: Command) => {
    void (async () => {
      switch (cmd.type) {
        case 'faults':
          server.setFaults(cmd.faults);
          port.postMessage({ id: cmd.id });
          return;
        case 'counters': {
          const all = server.requests;
          const byStatus: Record<string, number> = {};
          for (const r of all.slice(Math.min(seen, all.length))) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
          const total = all.length - Math.min(seen, all.length);
          seen = all.length;
          port.postMessage({ id: cmd.id, counters: { byStatus, total } satisfies Counters });
          return;
        }
        case 'close':
          await server.close();
          port.postMessage({ id: cmd.id });
          port.close();
          return;
      }
    })();
  });
  const ready: ReadyMessage = {
    type: 'ready',
    baseUrl: server.baseUrl,
    sessionIds: sessions.map((s) => s.sessionId),
    mediaBytes: template.totalBytes,
    mediaCount: template.items.length,
    sessionJsonBytes: sessions[0] ? sessionJsonBytes(sessions[0]) : 0,
  };
  port.postMessage(ready);
}

export interface BenchServer extends Omit<ReadyMessage, 'type'> {
  setFaults(faults: FaultRules): Promise<void>;
  /** Requests since the previous call (the request log is capped at 10 000 entries). */
  counters(): Promise<Counters>;
  close(): Promise<void>;
}

/** Main side: starts the worker (this very bundle, see bench/main.ts) and waits until it listens. */
export async function startBenchServer(entry: URL, data: Omit<ServerWorkerData, 'role'>): Promise<BenchServer> {
  const worker = new Worker(entry, { workerData: { role: 'bench-server', ...data } satisfies ServerWorkerData });
  const pending = new Map<number, { resolve: (msg: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (msg: { id?: number; type?: string }) => {
      if (msg.type === 'ready') {
        worker.off('error', reject);
        resolve(msg as ReadyMessage);
        return;
      }
      if (typeof msg.id === 'number') {
        pending.get(msg.id)?.resolve(msg);
        pending.delete(msg.id);
      }
    });
  });
  // A worker that dies fails every call waiting for it, rather than leaving the run hanging.
  const failAll = (e: Error): void => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('error', (e) => failAll(new Error('the bench server worker failed', { cause: e })));
  worker.on('exit', (code) => failAll(new Error(`the bench server worker exited (${code})`)));
  const call = <T>(cmd: CommandBody): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolve(m as T), reject });
      worker.postMessage({ ...cmd, id });
    });
  const { type: _type, ...info } = ready;
  return {
    ...info,
    setFaults: async (faults) => {
      await call({ type: 'faults', faults });
    },
    counters: async () => (await call<{ counters: Counters }>({ type: 'counters' })).counters,
    close: async () => {
      await call({ type: 'close' });
      await worker.terminate();
    },
  };
}
