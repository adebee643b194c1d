import { csvText, MAX_CSV_FILE_BYTES, MAX_PEM_FILE_BYTES, readCappedFile } from '../ipc/dialog-files';
import type { ConfirmQuestion, DialogsPort } from '../ipc/ports';

/**
 * The dialogs port with the person's answers scripted by the test. Each answer is used once and then
 * cleared; an unset answer means the person cancelled. Files are read and written by the same code
 * the Electron dialogs use (main/ipc/dialog-files.ts).
 *
 *   bridge.dialogs.nextOpenFile = '/tmp/key.pem';   // the next openPem()/openCsv()/openCaBundle() picks this file
 *   bridge.dialogs.nextSavePath = '/tmp/out.pdf';   // the next saveFile() writes here
 *   bridge.dialogs.nextConfirm = true;              // the next confirm() is answered "yes"
 */
export interface DialogRecord {
  kind: 'openPem' | 'openCsv' | 'openCaBundle' | 'saveFile' | 'confirm';
  /** What the person chose (a path, or the answer); null when cancelled. */
  answer: string | boolean | null;
  suggestedName?: string;
  question?: ConfirmQuestion;
}

export class ScriptedDialogs implements DialogsPort {
  nextOpenFile: string | null | undefined;
  nextSavePath: string | null | undefined;
  nextConfirm: boolean | undefined;
  readonly history: DialogRecord[] = [];

  async openPem(): Promise<Buffer | null> {
    const path = this.#take('nextOpenFile');
    this.history.push({ kind: 'openPem', answer: path });
    return path === null ? null : readCappedFile(path, MAX_PEM_FILE_BYTES, 'key');
  }

  async openCsv(): Promise<string | null> {
    const path = this.#take('nextOpenFile');
    this.history.push({ kind: 'openCsv', answer: path });
    return path === null ? null : csvText(await readCappedFile(path, MAX_CSV_FILE_BYTES, 'csv'));
  }

  openCaBundle(): Promise<string | null> {
    const path = this.#take('nextOpenFile');
    this.history.push({ kind: 'openCaBundle', answer: path });
    return Promise.resolve(path);
  }

  async saveFile(suggestedName: string, write: (path: string) => Promise<void>): Promise<boolean> {
    const path = this.#take('nextSavePath');
    this.history.push({ kind: 'saveFile', answer: path, suggestedName });
    if (path === null) return false;
    await write(path);
    return true;
  }

  confirm(question: ConfirmQuestion): Promise<boolean> {
    const answer = this.nextConfirm ?? false;
    this.nextConfirm = undefined;
    this.history.push({ kind: 'confirm', answer, question });
    return Promise.resolve(answer);
  }

  #take(key: 'nextOpenFile' | 'nextSavePath'): string | null {
    const value = this[key];
    this[key] = undefined;
    return value ?? null;
  }
}
