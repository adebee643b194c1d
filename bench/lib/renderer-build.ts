import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

/**
 * Builds the renderer for the benchmark into a folder of its own (not out/renderer, which the e2e
 * tests and `npm run build` rewrite), with the settings of electron.vite.config.ts: root renderer/,
 * the React plugin, minified, relative base (electron-vite's default for the renderer).
 */
export async function buildRenderer(repo: string, outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(repo, 'renderer'),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, minify: true, rolldownOptions: { input: join(repo, 'renderer', 'index.html') } },
  });
}

export interface AssetSizes {
  files: Array<{ name: string; bytes: number; gzip: number }>;
  jsBytes: number;
  jsGzip: number;
  cssBytes: number;
  cssGzip: number;
}

/** Raw and gzipped (level 9, as a server would send it) size of every JS and CSS file of the build. */
export async function assetSizes(outDir: string): Promise<AssetSizes> {
  const dir = join(outDir, 'assets');
  const files: AssetSizes['files'] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (!/\.(m?js|css)$/.test(name)) continue;
    const bytes = await readFile(join(dir, name));
    files.push({ name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  const sum = (re: RegExp, k: 'bytes' | 'gzip'): number => files.filter((f) => re.test(f.name)).reduce((n, f) => n + f[k], 0);
  return { files, jsBytes: sum(/\.m?js$/, 'bytes'), jsGzip: sum(/\.m?js$/, 'gzip'), cssBytes: sum(/\.css$/, 'bytes'), cssGzip: sum(/\.css$/, 'gzip') };
}
