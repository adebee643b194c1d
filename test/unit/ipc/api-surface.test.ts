import { describe, expect, test } from 'vitest';
import { API_CHANNELS, API_EVENTS, channelWireName, eventWireName } from '../../../common/ipc/channels';
import { CHANNELS, EVENT_NAMES, ipcChannel, ipcEvent } from '../../../common/ipc/contract';
import { createApi } from '../../../preload/create-api';
import { EXPECTED_API_KEYS } from './expected-api';


describe('API surface', () => {
  const api = createApi(
    () => Promise.resolve({ ok: true, value: null }),
    () => () => undefined,
  );

  test('createApi produces exactly CHANNELS ∪ {on}, all functions', () => {
    expect(Object.keys(api).sort()).toEqual([...EXPECTED_API_KEYS]);
    expect(new Set(Object.keys(api))).toEqual(new Set([...CHANNELS, 'on']));
    for (const key of Object.keys(api)) expect(typeof (api as unknown as Record<string, unknown>)[key], key).toBe('function');
  });

  test("the preload's zod-free lists match the contract", () => {
    expect([...API_CHANNELS].sort()).toEqual([...CHANNELS].sort());
    expect(API_CHANNELS).toHaveLength(new Set(API_CHANNELS).size);
    expect([...API_EVENTS]).toEqual([...EVENT_NAMES]);
    for (const c of CHANNELS) expect(channelWireName(c)).toBe(ipcChannel(c));
    for (const e of EVENT_NAMES) expect(eventWireName(e)).toBe(ipcEvent(e));
  });

  test('every call maps to its own wire channel', async () => {
    const seen: string[] = [];
    const recording = createApi(
      (wire) => {
        seen.push(wire);
        return Promise.resolve(null);
      },
      () => () => undefined,
    );
    for (const c of CHANNELS) await (recording[c] as (a: unknown) => Promise<unknown>)({});
    expect(seen).toEqual(CHANNELS.map(ipcChannel));
  });
});
