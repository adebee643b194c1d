// npm run build: the command line (esbuild → out/cli/idv-review.mjs and its chunks) and the desktop app
// (electron-vite → out/main/index.js, out/preload/index.cjs, out/renderer/). No Electron binary is
// needed for either.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';
import { build as buildApp } from 'electron-vite';

// Packages bundled into the command line: zod is pure JavaScript whose ~100 module files cost each
// command more to resolve and load than its code. Every other package stays external (keytar is
// native, react-pdf reads files relative to itself, and they ship as the package's dependencies).
const BUNDLED_PACKAGES = new Set(['zod']);
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
// zod's `z` namespace carries the messages of ~50 languages (z.locales), which bundling cannot drop;
// the command line speaks English, zod's default, so only `en` is kept: about half of zod's load time.
const ZOD_LOCALES = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/;

// Split into chunks: each command is imported when it runs (main/cli/index.ts), so `--help`, `list`
// and `show` never load the PDF renderer, its fonts or React. A fresh folder: no stale chunks.
rmSync('out/cli', { recursive: true, force: true });
await build({
  entryPoints: { 'idv-review': 'main/cli/index.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED_PACKAGES.has(packageOf(args.path)) ? undefined : { path: args.path, external: true }));
      },
    },
    {
      name: 'zod-english-only',
      setup(b) {
        b.onLoad({ filter: ZOD_LOCALES }, (args) => ({ contents: "export { default as en } from './en.js';", resolveDir: dirname(args.path) }));
      },
    },
  ],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

await buildApp({ configFile: 'electron.vite.config.ts', logLevel: 'warn' });
