import { app, dialog, type BrowserWindow } from 'electron';
import { extname, join } from 'node:path';
import { csvText, MAX_CSV_FILE_BYTES, MAX_PEM_FILE_BYTES, readCappedFile } from '../ipc/dialog-files';
import type { ConfirmQuestion, DialogsPort } from '../ipc/ports';

/**
 * Native dialogs in main: the person chooses the path, main reads or writes the file, and the path
 * never reaches the renderer (threat T4).
 */
export function createElectronDialogs(window: () => BrowserWindow | null): DialogsPort {
  const parent = (): BrowserWindow | undefined => window() ?? undefined;

  async function pick(title: string, filters: Electron.FileFilter[]): Promise<string | null> {
    const w = parent();
    const options: Electron.OpenDialogOptions = { title, properties: ['openFile'], filters };
    const result = w ? await dialog.showOpenDialog(w, options) : await dialog.showOpenDialog(options);
    const path = result.filePaths[0];
    return result.canceled || path === undefined ? null : path;
  }

  return {
    async openPem() {
      const path = await pick('Import the Yoti key (.pem)', [
        { name: 'PEM key', extensions: ['pem', 'key'] },
        { name: 'All files', extensions: ['*'] },
      ]);
      return path === null ? null : readCappedFile(path, MAX_PEM_FILE_BYTES, 'key');
    },

    async openCsv() {
      const path = await pick('Import session ids (CSV)', [
        { name: 'CSV', extensions: ['csv', 'txt'] },
        { name: 'All files', extensions: ['*'] },
      ]);
      return path === null ? null : csvText(await readCappedFile(path, MAX_CSV_FILE_BYTES, 'csv'));
    },

    openCaBundle() {
      return pick("Choose your organisation's CA certificate bundle (PEM)", [
        { name: 'PEM certificates', extensions: ['pem', 'crt', 'cer'] },
        { name: 'All files', extensions: ['*'] },
      ]);
    },

    async saveFile(suggestedName, write) {
      const w = parent();
      const options: Electron.SaveDialogOptions = {
        title: 'Save',
        defaultPath: join(app.getPath('downloads'), suggestedName),
        filters: filtersFor(suggestedName),
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const result = w ? await dialog.showSaveDialog(w, options) : await dialog.showSaveDialog(options);
      if (result.canceled || !result.filePath) return false;
      await write(result.filePath);
      return true;
    },

    async confirm(question: ConfirmQuestion) {
      const w = parent();
      const options: Electron.MessageBoxOptions = {
        type: 'warning',
        title: question.title,
        message: question.message,
        detail: question.detail,
        buttons: [question.confirmLabel, 'Cancel'],
        defaultId: 1,
        cancelId: 1,
        noLink: true,
      };
      const result = w ? await dialog.showMessageBox(w, options) : await dialog.showMessageBox(options);
      return result.response === 0;
    },
  };
}

export function filtersFor(name: string): Electron.FileFilter[] {
  const ext = extname(name).slice(1).toLowerCase();
  const label: Record<string, string> = { pdf: 'PDF document', jpg: 'JPEG image', png: 'PNG image', json: 'JSON', bin: 'Binary data' };
  return ext === '' ? [{ name: 'All files', extensions: ['*'] }] : [{ name: label[ext] ?? ext.toUpperCase(), extensions: [ext] }, { name: 'All files', extensions: ['*'] }];
}
