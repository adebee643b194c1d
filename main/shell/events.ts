import type { WebContents } from 'electron';
import { ipcEvent } from '../../common/ipc/contract';
import type { EventsPort } from '../ipc/ports';

/** Pushes contract events to the trusted windows only (webContents.send on the event's wire name). */
export function createWindowEvents(targets: () => Iterable<Pick<WebContents, 'send' | 'isDestroyed'>>): EventsPort {
  return {
    emit(event, payload) {
      for (const contents of targets()) {
        if (!contents.isDestroyed()) contents.send(ipcEvent(event), payload);
      }
    },
  };
}
