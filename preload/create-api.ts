/**
 * Builds `window.api`: one function per contract channel and `on(event, listener)` for the fixed
 * event names. Nothing else: no channel pass-through, no ipcRenderer, no event object (checklist item
 * 20). The preload passes ipcRenderer-backed `invoke`/`subscribe`; the test bridge passes
 * Playwright-backed ones, so the page sees exactly the same object in both.
 *
 * Runtime imports: only ./channels (no zod; arguments are validated in main).
 */
import { API_CHANNELS, API_EVENTS, channelWireName, eventWireName } from '../common/ipc/channels';
import type { Api, EventName } from '../common/ipc/contract';

/** Sends one call on its wire channel and resolves to main's Result. */
export type Invoke = (wireChannel: string, args: unknown) => Promise<unknown>;
/** Registers a listener for one wire event; returns its removal. */
export type Subscribe = (wireEvent: string, listener: (payload: unknown) => void) => () => void;

export function createApi(invoke: Invoke, subscribe: Subscribe): Api {
  const api: Record<string, unknown> = {};
  for (const channel of API_CHANNELS) {
    const wire = channelWireName(channel);
    // Exactly one argument goes over the wire, whatever the caller passes (extra arguments are dropped).
    api[channel] = (args?: unknown) => invoke(wire, args === undefined ? {} : args);
  }
  api.on = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
    if (!(API_EVENTS as readonly string[]).includes(event)) throw new TypeError(`Unknown event "${String(event).slice(0, 40)}".`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    // The listener gets the payload only, never the IPC event object.
    const off = subscribe(eventWireName(event), (payload) => {
      listener(payload);
    });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      off();
    };
  };
  return Object.freeze(api) as unknown as Api;
}
