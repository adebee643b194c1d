import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, ipcChannel, type Channel, type Result } from '../../common/ipc/contract';
import { forbidden } from '../ipc/errors';
import type { Handler, Handlers, Logger } from '../ipc/ports';
import { APP_HOST, APP_SCHEME } from './protocols';

/**
 * IPC sender validation (checklist item 17), after GitHub Desktop's trusted-ipc-sender: a call is
 * handled only when it comes from the main frame of a window main created, showing app://renderer.
 * Anything else (an iframe, a page that navigated elsewhere, a devtools or foreign webContents) gets
 * a FORBIDDEN result and the handler never runs.
 */
/** The part of a WebContents the trusted set uses. */
export interface TrustedContents extends Pick<WebContents, 'id' | 'send' | 'isDestroyed'> {
  once(event: 'destroyed', listener: () => void): unknown;
}

export class TrustedSenders {
  readonly #contents = new Map<number, Pick<WebContents, 'id' | 'send' | 'isDestroyed'>>();

  add(contents: TrustedContents): void {
    const id = contents.id;
    this.#contents.set(id, contents);
    contents.once('destroyed', () => {
      this.#contents.delete(id);
    });
  }

  has(id: number): boolean {
    return this.#contents.has(id);
  }

  /** The live trusted webContents (event targets). */
  contents(): Array<Pick<WebContents, 'id' | 'send' | 'isDestroyed'>> {
    return [...this.#contents.values()].filter((c) => !c.isDestroyed());
  }
}

type FrameLike = { url: string; processId: number; routingId: number; parent: unknown } | null | undefined;
export type SenderEvent = { sender: { id: number; mainFrame: FrameLike }; senderFrame: FrameLike };

export function isTrustedSender(event: SenderEvent, trusted: Pick<TrustedSenders, 'has'>): boolean {
  let frame: FrameLike;
  let main: FrameLike;
  try {
    frame = event.senderFrame;
    main = event.sender.mainFrame;
  } catch {
    return false; // a destroyed frame
  }
  if (!frame || !main) return false;
  if (!trusted.has(event.sender.id)) return false;
  // The main frame itself: no parent, and the same frame as the webContents' main frame.
  if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
}

/** One ipcMain.handle per contract channel, each behind the sender check. */
export function registerHandlers(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: Handlers,
  isTrusted: (event: IpcMainInvokeEvent) => boolean,
  log?: Logger,
): void {
  for (const channel of CHANNELS) {
    const handler = handlers[channel] as Handler<Channel>;
    ipcMain.handle(ipcChannel(channel), async (event, args: unknown): Promise<Result<unknown>> => {
      if (!isTrusted(event)) {
        log?.warn(`refused ${channel}: the sender is not the app's window`);
        return { ok: false, error: forbidden() };
      }
      return handler(args, { senderId: event.sender.id });
    });
  }
}
