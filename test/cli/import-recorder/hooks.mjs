// Loader hooks (they run on the loader's own thread): append each resolved URL to IDV_IMPORT_LOG.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.IDV_IMPORT_LOG) appendFileSync(process.env.IDV_IMPORT_LOG, `${resolved.url}\n`);
  return resolved;
}
