#!/usr/bin/env node
// Entry point of the `idv-review` command; the bundle is built by `npm run build`.
import { existsSync } from 'node:fs';

const bundle = new URL('../out/cli/idv-review.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('idv-review is not built yet: run `npm run build` in the project folder.\n');
  process.exit(3);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
