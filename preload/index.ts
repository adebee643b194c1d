/**
 * The preload of the one app window (sandboxed, context-isolated). It exposes `window.api` built by
 * createApi and nothing else. Built as CommonJS with its (tiny) dependencies bundled: a sandboxed
 * preload can only require('electron') and a few Node built-ins (toolchain notes, trap 3).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, type Invoke, type Subscribe } from './create-api';

const invoke: Invoke = (wireChannel, args) => ipcRenderer.invoke(wireChannel, args);

const subscribe: Subscribe = (wireEvent, listener) => {
  const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(wireEvent, handler);
  return () => {
    ipcRenderer.removeListener(wireEvent, handler);
  };
};

contextBridge.exposeInMainWorld('api', createApi(invoke, subscribe));
