import { createPublicKey } from 'node:crypto';
import { DEMO_SDK_ID, ensureDemoKey } from '../../core/demo/demo-key';
import { DEMO_SESSIONS } from '../../core/demo-server/demo-sessions';
import { startDemoServer } from '../../core/demo-server/server';
import { UsageError } from '../../../common/errors';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review sandbox [--port N]';

/** Runs the Yoti-compatible demo server on loopback until Ctrl-C. */
export async function sandboxCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { port: { type: 'string' } }, USAGE);
  if (positionals.length > 0) throw new UsageError('USAGE', `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('USAGE', `--port must be a port number (0-65535)`);

  const key = await ensureDemoKey(await ctx.vault());
  const server = await startDemoServer({ port, apps: [{ sdkId: DEMO_SDK_ID, publicKey: createPublicKey(key) }] });
  const first = DEMO_SESSIONS[0]?.sessionId ?? 'SESSION_ID';
  const out = ctx.out;
  out.line(`Yoti-compatible demo server (synthetic data only) listening on ${server.baseUrl}`);
  out.line(`Demo SDK ID: ${DEMO_SDK_ID} (its key is stored in your OS keychain like a real one)`);
  out.line('');
  out.line('Demo sessions:');
  for (const s of DEMO_SESSIONS) out.line(`  ${s.sessionId}  ${s.title}`);
  out.line('');
  out.line('Point the command line at it:');
  out.line(`  idv-review fetch ${first} --sdk-id ${DEMO_SDK_ID} --api-url ${server.baseUrl}`);
  out.line(`  idv-review show ${first}`);
  out.line('In the desktop app: Settings > API environment > Local demo server, with the URL above.');
  out.line('Press Ctrl-C to stop.');
  await ctx.io.untilInterrupted();
  await server.close();
  out.line('Demo server stopped.');
  return 0;
}
