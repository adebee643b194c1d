import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiReachability } from '../../../common/ipc/contract';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { handlerHarness } from './handler-harness';

/*
 * What getAppState and 'online-changed' say about the configured API, over the real handler table,
 * services and demo server: its requests decide (an answer, a refused connection), the trusted-host
 * rule is a reason of its own, and once watched (the app's window is open) a restarted server is
 * checked at once.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'idv-reachability-'));
const { services, dialogs, emitted, ok, fails } = handlerHarness(dataDir);
const told = () => emitted.filter((e) => e.event === 'online-changed').map((e) => e.payload as ApiReachability);
const reachability = async () => (await ok('getAppState', {})).reachability;
const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (iso: string) => `${pad(new Date(iso).getHours())}:${pad(new Date(iso).getMinutes())}`;

beforeAll(async () => {
  await ok('startDemo', {});
});

afterAll(async () => {
  await services.close();
});

describe('the online state in getAppState', () => {
  test('a fetch that the demo server answered: online, with when', async () => {
    expect(await reachability()).toEqual({ online: false, reason: 'the demo server has not been asked yet' });
    const before = Date.now();
    await ok('fetchSession', { sessionId: DEMO_SESSION_IDS.approvedPassport });
    const state = await reachability();
    expect(state.online).toBe(true);
    expect(state.reason).toBeUndefined();
    expect(Date.parse(state.checkedAt!)).toBeGreaterThanOrEqual(before - 1);
    expect(told().at(-1)).toMatchObject({ online: true });
  });

  test('the server stopped: offline because requests may no longer go there; allowed by a person, because the connection is refused', async () => {
    const url = services.demo.status().apiUrl!;
    const host = new URL(url).host;
    await services.demo.stop({ keepApiUrl: true });
    services.reachability.refresh();
    const notAllowed = `nothing is sent to ${host}: it is not Yoti's API, the demo server this app started or a host allowed in Settings`;
    expect(await reachability()).toEqual({ online: false, reason: notAllowed });
    await expect.poll(() => told().at(-1)).toEqual({ online: false, reason: notAllowed });

    dialogs.nextConfirm = true;
    await ok('updateSettings', { apiUrl: url });
    expect(await fails('fetchSession', { sessionId: DEMO_SESSION_IDS.approvedPassport, force: true })).toMatchObject({ code: 'CONNECTION_FAILED' });
    const refused = await reachability();
    expect(refused).toEqual({ online: false, reason: `the API at ${host} did not answer at ${hhmm(refused.checkedAt!)} (connection refused)`, checkedAt: refused.checkedAt });
    expect(told().at(-1)).toEqual(refused);
  });

  test('watched (the window is open): the restarted demo server is checked at once, and answers', async () => {
    services.reachability.start();
    await ok('startDemo', {});
    const state = await reachability();
    expect(state).toMatchObject({ online: true });
    await expect.poll(() => told().at(-1)?.online).toBe(true);
    // The check asked the base URL, unsigned: the demo server saw it as an unknown route.
    expect(services.demo.server!.requests.filter((r) => r.path === '/idverify/v1')).toHaveLength(1);
    services.reachability.stop();
  });
});
