import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test, vi } from 'vitest';
import { createElectronDialogs, filtersFor } from '../../../main/shell/dialogs';
import { writePrivateFile } from '../../../main/ipc/dialog-files';
import { recorder } from './electron-stub';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());

const dir = mkdtempSync(join(tmpdir(), 'idv-dialogs-'));
const parentWindow = { id: 'the window' };
const dialogs = createElectronDialogs(() => parentWindow as never);

beforeEach(() => {
  recorder.dialogCalls.length = 0;
});

describe('native dialogs', () => {
  test('openPem: cancelled is null; a file is read by main; an oversized file is refused without its path', async () => {
    recorder.openDialog = { canceled: true, filePaths: [] };
    expect(await dialogs.openPem()).toBeNull();
    expect(recorder.dialogCalls[0]).toMatchObject({ kind: 'open', parent: parentWindow });

    const pem = join(dir, 'key.pem');
    writeFileSync(pem, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    recorder.openDialog = { canceled: false, filePaths: [pem] };
    expect((await dialogs.openPem())?.toString()).toContain('BEGIN PRIVATE KEY');

    const big = join(dir, 'secret-name-big.pem');
    writeFileSync(big, Buffer.alloc(64 * 1024 + 1, 0x41));
    recorder.openDialog = { canceled: false, filePaths: [big] };
    const err = await dialogs.openPem().catch((e: Error & { code?: string }) => e);
    expect(err).toMatchObject({ code: 'KEY_NOT_PEM' });
    expect(String((err as Error).message)).not.toContain('secret-name');

    recorder.openDialog = { canceled: false, filePaths: [dir] };
    await expect(dialogs.openPem()).rejects.toMatchObject({ code: 'KEY_NOT_PEM' });
  });

  test('openCsv reads UTF-8 text and refuses binary', async () => {
    const csv = join(dir, 'ids.csv');
    writeFileSync(csv, '\uFEFFsession_id\n5e551090-0000-4000-8000-000000000001\n');
    recorder.openDialog = { canceled: false, filePaths: [csv] };
    expect(await dialogs.openCsv()).toContain('5e551090-0000-4000-8000-000000000001');
    const bin = join(dir, 'x.csv');
    writeFileSync(bin, Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28]));
    recorder.openDialog = { canceled: false, filePaths: [bin] };
    await expect(dialogs.openCsv()).rejects.toMatchObject({ code: 'CSV_NOT_TEXT' });
  });

  test('saveFile: cancelled is false and writes nothing; otherwise main\'s writer gets the chosen path', async () => {
    const written: string[] = [];
    const write = (path: string): Promise<void> => {
      written.push(path);
      return writePrivateFile(path, Buffer.from('%PDF-1.7'));
    };
    recorder.saveDialog = { canceled: true };
    expect(await dialogs.saveFile('review.pdf', write)).toBe(false);
    expect(written).toEqual([]);
    const target = join(dir, 'out.pdf');
    recorder.saveDialog = { canceled: false, filePath: target };
    expect(await dialogs.saveFile('review.pdf', write)).toBe(true);
    expect(written).toEqual([target]);
    expect(readFileSync(target, 'utf8')).toBe('%PDF-1.7');
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
    const options = recorder.dialogCalls.at(-1)?.options as { defaultPath: string; filters: unknown };
    expect(options.defaultPath.endsWith('review.pdf')).toBe(true);
    expect(options.filters).toEqual(filtersFor('review.pdf'));
  });

  test('confirm is true only for the confirming button; Cancel is the default', async () => {
    recorder.messageBoxResponse = 0;
    expect(await dialogs.confirm({ title: 't', message: 'm', confirmLabel: 'Delete' })).toBe(true);
    recorder.messageBoxResponse = 1;
    expect(await dialogs.confirm({ title: 't', message: 'm', confirmLabel: 'Delete' })).toBe(false);
    expect(recorder.dialogCalls.at(-1)?.options).toMatchObject({ buttons: ['Delete', 'Cancel'], defaultId: 1, cancelId: 1 });
  });
});
