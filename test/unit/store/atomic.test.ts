import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LocalError } from '../../../common/errors';
import { writeFileAtomic } from '../../../main/core/store/atomic';
import { failingFs } from '../../support/failing-fs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idv-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  test('writes a new file 0600 in a new 0700 directory, leaving no temp file', async () => {
    const target = join(dir, 'sub', 'deeper', 'file.bin');
    await writeFileAtomic(target, Buffer.from('hello'));
    expect(await readFile(target, 'utf8')).toBe('hello');
    if (process.platform !== 'win32') {
      expect((await stat(target)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'sub'))).mode & 0o777).toBe(0o700);
      expect((await stat(join(dir, 'sub', 'deeper'))).mode & 0o777).toBe(0o700);
    }
    expect(await readdir(join(dir, 'sub', 'deeper'))).toEqual(['file.bin']);
  });

  test('replaces an existing file completely', async () => {
    const target = join(dir, 'f.json');
    await writeFile(target, 'old content that is longer');
    await writeFileAtomic(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  test.each(['write', 'sync', 'rename'] as const)(
    'ENOSPC during %s: DISK_FULL, the previous content is intact and no temp file is left',
    async (step) => {
      const target = join(dir, 'f.json');
      await writeFile(target, 'previous');
      const err = await writeFileAtomic(target, 'replacement that will not fit', { fs: failingFs(step, 'ENOSPC') }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LocalError);
      expect((err as LocalError).code).toBe('DISK_FULL');
      expect((err as LocalError).message).toMatch(/the disk is full; nothing was changed/i);
      expect(await readFile(target, 'utf8')).toBe('previous');
      expect(await readdir(dir)).toEqual(['f.json']);
    },
  );

  test('ENOSPC on a first write leaves no file at all', async () => {
    const target = join(dir, 'new.bin');
    await expect(writeFileAtomic(target, Buffer.alloc(100), { fs: failingFs('write', 'ENOSPC') })).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(await readdir(dir)).toEqual([]);
  });

  test('other failures are WRITE_FAILED, also with nothing changed', async () => {
    const target = join(dir, 'f.json');
    await writeFile(target, 'previous');
    await expect(writeFileAtomic(target, 'x', { fs: failingFs('open', 'EACCES') })).rejects.toMatchObject({ code: 'WRITE_FAILED' });
    await expect(writeFileAtomic(target, 'x', { fs: failingFs('rename', 'EXDEV') })).rejects.toMatchObject({ code: 'WRITE_FAILED' });
    expect(await readFile(target, 'utf8')).toBe('previous');
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  test('concurrent writers never interleave: the file holds one complete version', async () => {
    const target = join(dir, 'race.bin');
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(64 * 1024, i));
    await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
    const final = await readFile(target);
    expect(versions.some((v) => v.equals(final))).toBe(true);
    expect(await readdir(dir)).toEqual(['race.bin']);
  });
});
