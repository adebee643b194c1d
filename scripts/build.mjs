// npm run build: the command line (esbuild → out/cli/idv-review.mjs) and the desktop app
// (electron-vite → out/main/index.js, out/preload/index.cjs, out/renderer/). No Electron binary is
// needed for either. Runtime dependencies stay external (keytar is native, and they ship as the
// package's dependencies).
import { build } from 'esbuild';
import { build as buildApp } from 'electron-vite';

await build({
  entryPoints: ['main/cli/index.ts'],
  outfile: 'out/cli/idv-review.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});

await buildApp({ configFile: 'electron.vite.config.ts', logLevel: 'warn' });
