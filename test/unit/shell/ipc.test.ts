import { describe, expect, test, vi } from 'vitest';
import { CHANNELS, ipcChannel, type Channel } from '../../../common/ipc/contract';
import type { Handlers } from '../../../main/ipc/ports';
import { createWindowEvents } from '../../../main/shell/events';
import { isTrustedSender, registerHandlers, TrustedSenders } from '../../../main/shell/ipc';
import { FakeFrame, FakeWebContents } from './electron-stub';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());

type Listener = (event: unknown, args?: unknown) => Promise<unknown>;

function setup() {
  const trusted = new TrustedSenders();
  const window = new FakeWebContents();
  window.mainFrame = new FakeFrame('app://renderer/index.html', 7, 1);
  trusted.add(window);
  const calls: Array<{ channel: Channel; args: unknown; senderId: number }> = [];
  const handlers = Object.fromEntries(
    CHANNELS.map((c) => [c, (args: unknown, ctx: { senderId: number }) => {
      calls.push({ channel: c, args, senderId: ctx.senderId });
      return Promise.resolve({ ok: true, value: c });
    }]),
  ) as unknown as Handlers;
  const registered = new Map<string, Listener>();
  const counts = new Map<string, number>();
  registerHandlers(
    { handle: (channel: string, l: Listener) => { registered.set(channel, l); counts.set(channel, (counts.get(channel) ?? 0) + 1); } } as never,
    handlers,
    (event) => isTrustedSender(event, trusted),
  );
  return { trusted, window, calls, registered, counts };
}

describe('registerHandlers', () => {
  test('registers every contract channel once, on its wire name, and nothing else', () => {
    const { registered, counts } = setup();
    expect([...registered.keys()].sort()).toEqual(CHANNELS.map(ipcChannel).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  test('the main frame of the trusted window is handled, with its arguments and sender id', async () => {
    const { window, calls, registered } = setup();
    const result = await registered.get('idv:openSession')!({ sender: window, senderFrame: window.mainFrame }, { sessionId: 'abc' });
    expect(result).toEqual({ ok: true, value: 'openSession' });
    expect(calls).toEqual([{ channel: 'openSession', args: { sessionId: 'abc' }, senderId: window.id }]);
  });

  const forbidden = { ok: false, error: { code: 'FORBIDDEN', kind: 'usage', message: expect.any(String) } };

  test('a subframe of the trusted window is FORBIDDEN', async () => {
    const { window, calls, registered } = setup();
    const iframe = new FakeFrame('app://renderer/index.html', 7, 2, window.mainFrame);
    expect(await registered.get('idv:getAppState')!({ sender: window, senderFrame: iframe }, {})).toEqual(forbidden);
    // Same ids as the main frame but with a parent: still a subframe.
    const lookalike = new FakeFrame('app://renderer/index.html', 7, 1, window.mainFrame);
    expect(await registered.get('idv:getAppState')!({ sender: window, senderFrame: lookalike }, {})).toEqual(forbidden);
    expect(calls).toEqual([]);
  });

  test.each([
    'https://evil.example/index.html',
    'app://evil/index.html',
    'idv-media://media/index.html',
    'file:///tmp/index.html',
    'about:blank',
    'not a url',
  ])('a main frame showing %s is FORBIDDEN', async (url) => {
    const { window, calls, registered } = setup();
    window.mainFrame.url = url;
    expect(await registered.get('idv:removeKey')!({ sender: window, senderFrame: window.mainFrame }, { sdkId: 'x' })).toEqual(forbidden);
    expect(calls).toEqual([]);
  });

  test('another webContents (not in the trusted set) is FORBIDDEN, even showing the app', async () => {
    const { calls, registered } = setup();
    const other = new FakeWebContents();
    other.mainFrame = new FakeFrame('app://renderer/index.html', 9, 1);
    expect(await registered.get('idv:deleteAtYoti')!({ sender: other, senderFrame: other.mainFrame }, { sessionId: 'x' })).toEqual(forbidden);
    expect(calls).toEqual([]);
  });

  test('a null or throwing senderFrame (navigated or destroyed) is FORBIDDEN', async () => {
    const { window, registered } = setup();
    expect(await registered.get('idv:getAppState')!({ sender: window, senderFrame: null }, {})).toEqual(forbidden);
    const throwing = { sender: window, get senderFrame(): never { throw new Error('Render frame was disposed') } };
    expect(await registered.get('idv:getAppState')!(throwing, {})).toEqual(forbidden);
  });

  test('a destroyed window is no longer trusted', async () => {
    const { window, trusted, registered } = setup();
    window.destroy();
    expect(trusted.has(window.id)).toBe(false);
    expect(await registered.get('idv:getAppState')!({ sender: window, senderFrame: window.mainFrame }, {})).toEqual(forbidden);
  });
});

describe('window events', () => {
  test('go to live trusted webContents only, on the event wire name', () => {
    const trusted = new TrustedSenders();
    const a = new FakeWebContents();
    const b = new FakeWebContents();
    const stranger = new FakeWebContents();
    trusted.add(a);
    trusted.add(b);
    b.destroyed = true;
    createWindowEvents(() => trusted.contents()).emit('fetch-progress', { sessionId: 's', done: 1, total: 3 });
    expect(a.sent).toEqual([['idv-event:fetch-progress', { sessionId: 's', done: 1, total: 3 }]]);
    expect(b.sent).toEqual([]);
    expect(stranger.sent).toEqual([]);
  });
});
