// `node --import ./register.mjs …`: records every module the program loads through the ESM loader
// (its own chunks, packages, node: builtins), one URL a line, in the file named by IDV_IMPORT_LOG.
// Used by test/cli/lazy-commands.test.ts to check what each command loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
