import * as fsp from 'node:fs/promises';
import type { AtomicFileHandle, AtomicFs } from '../../main/core/store/atomic';

export const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });

/** Real fs, except that the step named fails with `code` (after a partial write, for 'write'). */
export function failingFs(step: 'write' | 'sync' | 'rename' | 'open', code: string): AtomicFs {
  return {
    mkdir: (p, o) => fsp.mkdir(p, o),
    unlink: (p) => fsp.unlink(p),
    rename: async (a, b) => {
      if (step === 'rename') throw errno(code);
      await fsp.rename(a, b);
    },
    open: async (p, flags, mode): Promise<AtomicFileHandle> => {
      if (step === 'open' && flags !== 'r') throw errno(code);
      const h = await fsp.open(p, flags, mode);
      return {
        writeFile: async (data) => {
          if (step === 'write') {
            await h.writeFile(typeof data === 'string' ? data.slice(0, 3) : data.subarray(0, 3));
            throw errno(code);
          }
          await h.writeFile(data);
        },
        sync: async () => {
          if (step === 'sync' && flags !== 'r') throw errno(code);
          await h.sync();
        },
        close: () => h.close(),
      };
    },
  };
}
