import { readFile, stat } from 'node:fs/promises';
import { UsageError, isAppError } from '../../../common/errors';
import { parse, requireValue } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review key import --sdk-id ID --pem FILE | key list [--json] | key remove --sdk-id ID';
const MAX_PEM_FILE = 64 * 1024;

export async function keyCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parse(rest, { 'sdk-id': { type: 'string' }, pem: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const vault = await ctx.vault();
  switch (sub) {
    case 'import': {
      const sdkId = requireValue(values['sdk-id'], '--sdk-id', USAGE);
      const file = requireValue(values.pem, '--pem', USAGE);
      const info = await stat(file).catch(() => {
        throw new UsageError('PEM_FILE_UNREADABLE', `Cannot read the key file ${file}.`);
      });
      if (!info.isFile() || info.size > MAX_PEM_FILE) {
        throw new UsageError('KEY_NOT_PEM', `${file} is not a PEM key file (expected a small text file).`);
      }
      const key = await vault.importKey(sdkId, await readFile(file));
      await (await ctx.offline()).recordAudit('key.imported', null, { sdkId: key.sdkId, fingerprint: key.fingerprint, modulusBits: key.modulusBits });
      ctx.out.line(`Imported RSA-${key.modulusBits} key for SDK ID ${key.sdkId} (fingerprint sha256:${key.fingerprint.slice(0, 16)}…).`);
      ctx.out.line('The key is kept encrypted; its data key is in the OS keychain. You may now delete the PEM file.');
      return 0;
    }
    case 'list': {
      const keys = await vault.list();
      if (values.json) ctx.out.json(keys);
      else if (keys.length === 0) ctx.out.line('No keys stored. Import one with: idv-review key import --sdk-id ID --pem FILE');
      else for (const k of keys) ctx.out.line(`${k.sdkId}  RSA-${k.modulusBits}  sha256:${k.fingerprint.slice(0, 16)}…  imported ${k.importedAt}`);
      return 0;
    }
    case 'remove': {
      const sdkId = requireValue(values['sdk-id'], '--sdk-id', USAGE);
      if (!(await vault.remove(sdkId))) throw new UsageError('KEY_NOT_FOUND', `No key is stored for SDK ID ${sdkId}.`);
      // Removing a key needs no keychain (it is how a lost data key is cleaned up); recording it does.
      try {
        await (await ctx.offline()).recordAudit('key.removed', null, { sdkId });
      } catch (e) {
        if (!isAppError(e) || e.kind !== 'local') throw e;
        ctx.out.warn(`Not recorded in the audit log: ${e.message}`);
      }
      ctx.out.line(`Removed the key for SDK ID ${sdkId}.`);
      return 0;
    }
    default:
      throw new UsageError('USAGE', `unknown key command ${sub ? `"${sub}"` : '(none)'}\nusage: ${USAGE}`);
  }
}
