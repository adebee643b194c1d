import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import type { ApiReachability } from '../../../common/ipc/contract';
import { NetworkError } from '../../../main/core/yoti/api-errors';
import { CHECK_TIMEOUTS, checkApi } from '../../../main/core/yoti/api-check';
import { apiTarget } from '../../../main/core/yoti/api-hosts';
import { IdvClient } from '../../../main/core/yoti/client';
import {
  checkDue,
  noAnswerWords,
  REACHABILITY_TIMING,
  ReachabilityTracker,
  reachabilityOf,
  type ApiTarget,
  type LastOutcome,
} from '../../../main/core/yoti/reachability';
import { MOUNT, privateKey, SDK_ID, SESSION_ID, startServer, tlsFixture, type TestServer } from './support/fault-server';

/*
 * Whether the configured API answers: the pure state, the unsigned check against real loopback
 * servers (answering, then closed: refused), the client's requests feeding the tracker, and the
 * tracker watching on its own (idle check, retry while offline, back online on an answer).
 */
const T0 = Date.parse('2026-03-02T14:05:30Z');
const URL_A = 'http://127.0.0.1:5000/idverify/v1';
const target: ApiTarget = { apiUrl: URL_A, name: 'the API at 127.0.0.1:5000' };
const pad = (n: number) => String(n).padStart(2, '0');
/** The bar's "14:05", in this computer's time like the tracker's. */
const hhmm = (ms: number) => `${pad(new Date(ms).getHours())}:${pad(new Date(ms).getMinutes())}`;
const state = (now: number, last: LastOutcome | undefined, over: { networkUp?: boolean; target?: ApiTarget } = {}) =>
  reachabilityOf({ now, networkUp: over.networkUp ?? true, target: over.target ?? target, last, freshMs: REACHABILITY_TIMING.freshMs });
const due = (now: number, last: LastOutcome | undefined, over: { networkUp?: boolean; target?: ApiTarget } = {}) =>
  checkDue({ now, networkUp: over.networkUp ?? true, target: over.target ?? target, last, timing: REACHABILITY_TIMING });

describe('the state (pure)', () => {
  const answered: LastOutcome = { answered: true, apiUrl: URL_A, at: T0 };
  const refused: LastOutcome = { answered: false, reason: 'connection refused', apiUrl: URL_A, at: T0 };

  test('online only while the latest outcome for the configured URL is an answer at most three minutes old', () => {
    expect(state(T0 + 1_000, answered)).toEqual({ online: true, checkedAt: '2026-03-02T14:05:30.000Z' });
    expect(state(T0 + 180_000, answered).online).toBe(true);
    expect(state(T0 + 180_001, answered)).toEqual({
      online: false,
      reason: `the API at 127.0.0.1:5000 has not answered since ${hhmm(T0)}`,
      checkedAt: '2026-03-02T14:05:30.000Z',
    });
  });

  test('no answer is offline with the reason and its time', () => {
    expect(state(T0, refused)).toEqual({
      online: false,
      reason: `the API at 127.0.0.1:5000 did not answer at ${hhmm(T0)} (connection refused)`,
      checkedAt: '2026-03-02T14:05:30.000Z',
    });
  });

  test('nothing known about the configured URL (an answer from another one does not count)', () => {
    expect(state(T0, undefined)).toEqual({ online: false, reason: 'the API at 127.0.0.1:5000 has not been asked yet' });
    expect(state(T0, { ...answered, apiUrl: 'http://127.0.0.1:6000/idverify/v1' })).toEqual({ online: false, reason: 'the API at 127.0.0.1:5000 has not been asked yet' });
  });

  test('no network at all, or a host requests may not go to, is offline whatever the last answer', () => {
    expect(state(T0, answered, { networkUp: false })).toEqual({ online: false, reason: 'this computer is not connected to any network' });
    expect(state(T0, answered, { target: { ...target, refused: 'nothing is sent there' } })).toEqual({ online: false, reason: 'nothing is sent there' });
  });

  test('a check is due when nothing was asked for 60 s, every 15 s while offline, never without a network or for a refused host', () => {
    expect(due(T0, undefined)).toBe(true);
    expect(due(T0 + 59_999, answered)).toBe(false);
    expect(due(T0 + 60_000, answered)).toBe(true);
    expect(due(T0 + 14_999, refused)).toBe(false);
    expect(due(T0 + 15_000, refused)).toBe(true);
    expect(due(T0, undefined, { networkUp: false })).toBe(false);
    expect(due(T0, undefined, { target: { ...target, refused: 'no' } })).toBe(false);
  });

  test('network faults in words', () => {
    const failed = (code: string, system?: string) =>
      noAnswerWords(new NetworkError(code as NetworkError['code'], 'x', system === undefined ? {} : { cause: Object.assign(new Error(system), { code: system }) }));
    expect(failed('CONNECTION_FAILED', 'ECONNREFUSED')).toBe('connection refused');
    expect(failed('CONNECTION_FAILED', 'ENOTFOUND')).toBe('host name not found');
    expect(failed('CONNECTION_FAILED', 'EPROTO')).toBe('could not connect (EPROTO)');
    expect(failed('CONNECT_TIMEOUT')).toBe('no connection in time');
    expect(failed('HEADERS_TIMEOUT')).toBe('connected, but no answer in time');
    expect(failed('TLS_FAILED', 'DEPTH_ZERO_SELF_SIGNED_CERT')).toBe('no trusted HTTPS connection (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(failed('CONNECTION_RESET', 'ECONNRESET')).toBe('the connection was closed before an answer');
  });

  test("the target's name and the trusted-host rule", () => {
    const demo = { running: true, apiUrl: URL_A };
    expect(apiTarget('https://api.yoti.com/idverify/v1', undefined, { running: false })).toEqual({ apiUrl: 'https://api.yoti.com/idverify/v1', name: "Yoti's API" });
    expect(apiTarget(URL_A, undefined, demo)).toEqual({ apiUrl: URL_A, name: 'the demo server' });
    expect(apiTarget(URL_A, ['127.0.0.1:5000'], { running: false })).toEqual({ apiUrl: URL_A, name: 'the API at 127.0.0.1:5000' });
    expect(apiTarget(URL_A, [], { running: false }).refused).toBe(
      "nothing is sent to 127.0.0.1:5000: it is not Yoti's API, the demo server this app started or a host allowed in Settings",
    );
  });
});

const servers: Array<{ close(): Promise<void> }> = [];
const trackers: ReachabilityTracker[] = [];
afterEach(async () => {
  for (const t of trackers.splice(0)) t.stop();
  for (const s of servers.splice(0)) await s.close();
});

async function answering(status = 404): Promise<TestServer> {
  const server = await startServer((_req, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"code":"NOT_FOUND"}');
  });
  servers.push(server);
  return server;
}

/** A plain server on a given port (to bring "the same API" back after it was closed). */
async function listenOn(port: number): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const handle = {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

describe('the unsigned check (checkApi) against a real server', () => {
  test('any HTTP status is an answer; the request names no key, signature, SDK id or session', async () => {
    const server = await answering(404);
    expect(await checkApi(server.baseUrl)).toEqual({ answered: true });
    expect(server.requests).toHaveLength(1);
    const [seen] = server.requests;
    expect(seen).toMatchObject({ method: 'GET', url: MOUNT, query: [], digest: undefined });
    expect(Object.keys(seen!.headers).filter((h) => h.startsWith('x-yoti') || h === 'authorization')).toEqual([]);
    expect(JSON.stringify(seen!.headers)).not.toContain(SDK_ID);
    expect(await checkApi((await answering(500)).baseUrl)).toEqual({ answered: true });
  });

  test('closed: connection refused', async () => {
    const server = await answering();
    const url = server.baseUrl;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(await checkApi(url)).toEqual({ answered: false, reason: 'connection refused' });
  });

  test('https with a certificate no trusted authority signed is no answer; trusting its CA, it answers', async () => {
    const server = await startServer(
      (_req, res) => {
        res.writeHead(404).end();
      },
      { tls: true },
    );
    servers.push(server);
    const untrusted = await checkApi(server.baseUrl);
    expect(untrusted.answered).toBe(false);
    expect(untrusted.answered === false && untrusted.reason).toMatch(/^no trusted HTTPS connection \(/);
    expect(await checkApi(server.baseUrl, { ca: tlsFixture.cert })).toEqual({ answered: true });
  });

  test('a peer that accepts and never answers: no answer in time', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    servers.push({
      close: () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections();
          silent.close(() => resolve());
        }),
    });
    const port = (silent.address() as AddressInfo).port;
    expect(await checkApi(`http://127.0.0.1:${port}${MOUNT}`, { timeouts: { ...CHECK_TIMEOUTS, headersMs: 100 } })).toEqual({
      answered: false,
      reason: 'connected, but no answer in time',
    });
  });
});

describe('the tracker', () => {
  const make = (over: { target: () => Promise<ApiTarget>; now?: () => number; networkUp?: () => boolean; tickMs?: number }) => {
    const told: ApiReachability[] = [];
    const tracker = new ReachabilityTracker({
      now: over.now ?? Date.now,
      target: over.target,
      check: (apiUrl) => checkApi(apiUrl),
      ...(over.networkUp === undefined ? {} : { networkUp: over.networkUp }),
      onChange: (s) => told.push(s),
      timing: { tickMs: over.tickMs ?? 20 },
    });
    trackers.push(tracker);
    return { tracker, told };
  };

  test("every request the client makes is recorded: a 404 is Yoti answering; a refused connection is not", async () => {
    const server = await answering(404);
    const url = server.baseUrl;
    const { tracker, told } = make({ target: () => Promise.resolve({ apiUrl: url, name: 'the API' }) });
    const client = () => new IdvClient({ sdkId: SDK_ID, key: privateKey, baseUrl: url, retry: { retries: 0 }, onOutcome: (o) => tracker.record(url, o) });

    const c1 = client();
    await expect(c1.getSession(SESSION_ID)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    c1.close();
    const online = await tracker.current();
    expect(online).toMatchObject({ online: true });
    expect(Date.now() - Date.parse(online.checkedAt!)).toBeLessThan(5_000);

    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const c2 = client();
    await expect(c2.getSession(SESSION_ID)).rejects.toMatchObject({ code: 'CONNECTION_FAILED' });
    c2.close();
    const offline = await tracker.current();
    expect(offline).toEqual({ online: false, reason: `the API did not answer at ${hhmm(Date.parse(offline.checkedAt!))} (connection refused)`, checkedAt: offline.checkedAt });
    // Told once online, once offline (not on every request).
    expect(told.map((t) => t.online)).toEqual([true, false]);
  });

  test('watching: checked at once, again after 60 s idle; closed → offline with the reason; back → online on the next retry', async () => {
    const server = await answering(404);
    const url = server.baseUrl;
    let now = T0;
    const { tracker, told } = make({ now: () => now, target: () => Promise.resolve({ apiUrl: url, name: 'the API' }) });
    tracker.start();
    expect(await tracker.current()).toEqual({ online: true, checkedAt: new Date(T0).toISOString() });
    expect(server.requests).toHaveLength(1);

    await server.close();
    servers.splice(servers.indexOf(server), 1);
    now += 59_000; // not idle long enough: nothing is asked
    await new Promise((r) => setTimeout(r, 100));
    expect(told.at(-1)?.online).toBe(true);
    now += 1_000;
    await expect.poll(() => told.at(-1)?.online).toBe(false);
    expect(told.at(-1)).toEqual({ online: false, reason: `the API did not answer at ${hhmm(now)} (connection refused)`, checkedAt: new Date(now).toISOString() });

    await listenOn(server.port);
    now += 14_000; // offline: asked again every 15 s
    await new Promise((r) => setTimeout(r, 100));
    expect(told.at(-1)?.online).toBe(false);
    now += 1_000;
    await expect.poll(() => told.at(-1)?.online).toBe(true);
    expect(told.map((t) => t.online)).toEqual([true, false, true]);
  });

  test('a host requests may not go to is never asked: offline with the rule as the reason', async () => {
    const server = await answering(404);
    const { tracker } = make({ target: () => Promise.resolve(apiTarget(server.baseUrl, [], { running: false })) });
    tracker.start();
    expect(await tracker.current()).toEqual({
      online: false,
      reason: `nothing is sent to 127.0.0.1:${server.port}: it is not Yoti's API, the demo server this app started or a host allowed in Settings`,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests).toEqual([]);
  });

  test('no network at all: offline at once and nothing is asked; back, the last answer stands', async () => {
    const server = await answering(404);
    let up = true;
    const { tracker, told } = make({ networkUp: () => up, target: () => Promise.resolve({ apiUrl: server.baseUrl, name: 'the API' }) });
    tracker.start();
    expect((await tracker.current()).online).toBe(true);
    const asked = server.requests.length;
    up = false;
    tracker.refresh();
    expect(told.at(-1)).toEqual({ online: false, reason: 'this computer is not connected to any network' });
    up = true;
    tracker.refresh();
    expect(told.at(-1)?.online).toBe(true);
    expect(server.requests).toHaveLength(asked);
  });

  test('not watching (the CLI, a handler test): nothing is asked until a request is made', async () => {
    const server = await answering(404);
    const { tracker } = make({ target: () => Promise.resolve({ apiUrl: server.baseUrl, name: 'the API' }) });
    expect(await tracker.current()).toEqual({ online: false, reason: 'the API has not been asked yet' });
    expect(server.requests).toEqual([]);
  });
});
