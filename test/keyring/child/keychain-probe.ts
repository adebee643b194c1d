/**
 * Run by keychain.test.ts in a child `node` process (bundled with esbuild, @github/keytar left
 * external) with a broken D-Bus environment: prints the outcome of one KeytarSecretStore call as JSON.
 */
import { AppError } from '../../../common/errors';
import { KeytarSecretStore } from '../../../main/core/keys/secret-store';

const store = new KeytarSecretStore({ timeoutMs: Number(process.env.PROBE_TIMEOUT_MS ?? '5000') });
const op = process.env.PROBE_OP ?? 'get';
try {
  if (op === 'set') await store.set('idv-probe', 'probe-secret');
  else await store.get('idv-probe');
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} catch (err) {
  const e = err instanceof AppError ? { code: err.code, kind: err.kind, message: err.message } : { code: 'NOT_APP_ERROR', message: String(err) };
  process.stdout.write(`${JSON.stringify({ ok: false, ...e })}\n`);
}
