import { MemorySecretStore } from '../../../main/core/keys/secret-store';
import { composeServices, type ComposedServices, type ComposeOptions } from '../../../main/ipc/compose';
import type { Channel, EventName, Result, Results } from '../../../common/ipc/contract';
import { createHandlers } from '../../../main/ipc/handlers';
import type { Handlers } from '../../../main/ipc/ports';
import { ScriptedDialogs } from '../../../main/browser-bridge/scripted-dialogs';

export interface HandlerHarness {
  services: ComposedServices;
  handlers: Handlers;
  dialogs: ScriptedDialogs;
  /** Every event the services emitted, in order. */
  emitted: Array<{ event: EventName; payload: unknown }>;
  /** Every log line (already redacted by the services). */
  logged: string[];
  /** Every Result any handler returned, for leak checks. */
  answers: unknown[];
  call: <C extends Channel>(channel: C, args: unknown) => Promise<Result<Results[C]>>;
  ok: <C extends Channel>(channel: C, args: unknown) => Promise<Results[C]>;
  fails: (channel: Channel, args: unknown) => Promise<{ code: string; kind: string; message: string }>;
}

/**
 * The handler table over the real services for one test file: a data folder, an in-memory keychain,
 * scripted dialogs, events and log lines kept for the assertions, no client retries.
 */
export function handlerHarness(dataDir: string, extra: Partial<ComposeOptions> = {}): HandlerHarness {
  const dialogs = new ScriptedDialogs();
  const emitted: HandlerHarness['emitted'] = [];
  const logged: string[] = [];
  const answers: unknown[] = [];
  const services = composeServices({
    dataDir,
    secrets: new MemorySecretStore(),
    appVersion: '9.9.9-test',
    dialogs,
    events: { emit: (event, payload) => emitted.push({ event, payload }) },
    mediaBase: 'idv-media://media/',
    osAccount: 'tester',
    log: { info: (m) => logged.push(m), warn: (m) => logged.push(m), error: (m) => logged.push(m) },
    clientOptions: { retry: { retries: 0 } },
    ...extra,
  });
  const handlers = createHandlers(services);
  const call = async <C extends Channel>(channel: C, args: unknown): Promise<Result<Results[C]>> => {
    const result = await handlers[channel](args, { senderId: 0 });
    answers.push(result);
    return result;
  };
  return {
    services,
    handlers,
    dialogs,
    emitted,
    logged,
    answers,
    call,
    ok: async (channel, args) => {
      const result = await call(channel, args);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
      return result.value;
    },
    fails: async (channel, args) => {
      const result = await call(channel, args);
      if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
      return result.error;
    },
  };
}
