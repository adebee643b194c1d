// Bundles the command line into out/cli/idv-review.mjs. Runtime dependencies stay external
// (keytar is native, and they ship as the package's dependencies).
import { build } from 'esbuild';

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
