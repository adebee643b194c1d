// npm run build: the command line (esbuild → out/cli/idv-review.mjs and its chunks) and the desktop app
// (electron-vite → out/main/index.js, out/preload/index.cjs, out/renderer/). No Electron binary is
// needed for either.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';
import { build as buildApp } from 'electron-vite';

// Packages bundled into the command line: zod is pure JavaScript whose ~100 module files cost each
// command more to resolve and load than its code; bundled, only what the schemas use is kept (every
// module imports it as `import * as z`, which esbuild can tree-shake: ESLint refuses `{ z }`, whose
// namespace object keeps all of zod, the messages of ~50 languages included). Every other package
// stays external (keytar is native, react-pdf reads files relative to itself, and they ship as the
// package's dependencies).
const BUNDLED_PACKAGES = new Set(['zod']);
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

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
  ],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

await buildApp({ configFile: 'electron.vite.config.ts', logLevel: 'warn' });
