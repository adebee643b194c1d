import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * Bundles a module of the benchmark for plain Node and imports it, with one difference from the
 * `npm run bench` bundle: every source module keeps its own `import.meta.url`, as when it runs from
 * source under vitest. The test bridge (main/browser-bridge/bridge.ts) finds the repository (the preload's
 * createApi, the built renderer) relative to its own file; inside the bench bundle its
 * `import.meta.url` would be the bundle's, two folders down in node_modules/.tmp.
 *
 * Packages stay external, as in the main bundle. `outfile` must be inside the repository (so that
 * they resolve from node_modules).
 */
export async function importWithSourceUrls<T>(entry: string, outfile: string): Promise<T> {
  const keepImportMetaUrl: Plugin = {
    name: 'keep-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const contents = source.includes('import.meta.url') ? source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)) : source;
        return { contents, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [keepImportMetaUrl],
  });
  return (await import(pathToFileURL(outfile).href)) as T;
}
