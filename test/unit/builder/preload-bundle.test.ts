import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';

/*
 * The preload's dependency closure, bundled the way electron-vite bundles it (CommonJS, everything
 * but electron inlined): a sandboxed preload may require only electron, and zod must stay in main.
 */
describe('preload bundle', () => {
  test('requires electron only, carries no zod, stays tiny', async () => {
    const out = await build({
      entryPoints: ['preload/index.ts'],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      external: ['electron'],
      metafile: true,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((i) => i.includes('node_modules'))).toBe(false);
    expect(inputs.sort()).toEqual(['common/ipc/channels.ts', 'preload/create-api.ts', 'preload/index.ts']);
    expect(code).not.toMatch(/zod|ZodError/);
    expect(code.length).toBeLessThan(8_000);
  });
});
