import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writePrivateFile } from '../../../main/ipc/dialog-files';
import { failingFs } from '../../support/failing-fs';

const dir = mkdtempSync(join(tmpdir(), 'idv-dialog-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writePrivateFile (the file a person chose in a save dialog)', () => {
  test('replaces the chosen file with the new bytes, private to the user, leaving nothing beside it', async () => {
    const target = join(dir, 'review.pdf');
    writeFileSync(target, 'old report', { mode: 0o644 });
    await writePrivateFile(target, Buffer.from('%PDF-1.7 new'));
    expect(readFileSync(target, 'utf8')).toBe('%PDF-1.7 new');
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['review.pdf']);
  });

  test.each(['write', 'sync', 'rename'] as const)('a full disk during %s: SAVE_FAILED in words, the replaced file intact, no path in the message', async (step) => {
    const target = join(dir, `Jane Doe ${step}.pdf`);
    writeFileSync(target, 'the report saved yesterday');
    const err: unknown = await writePrivateFile(target, Buffer.alloc(4096, 0x41), failingFs(step, 'ENOSPC')).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'SAVE_FAILED', message: expect.stringContaining('the disk is full') });
    expect((err as Error).message).not.toContain('Jane');
    expect(readFileSync(target, 'utf8')).toBe('the report saved yesterday');
    expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  test('a folder that cannot be written names the error code only', async () => {
    await expect(writePrivateFile(join(dir, 'x.pdf'), Buffer.from('x'), failingFs('open', 'EACCES'))).rejects.toMatchObject({
      code: 'SAVE_FAILED',
      message: expect.stringMatching(/^The file could not be saved \(EACCES\)/),
    });
  });
});
