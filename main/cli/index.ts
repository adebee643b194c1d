import { createInterface } from 'node:readline/promises';
import { isAppError, type ErrorKind } from '../../common/errors';
import { redact } from '../core/redact';
import type { CliContext } from './context';
import type { CliIo } from './io';

export const HELP = `idv-review: review Yoti IDV sessions from the command line

  idv-review key import --sdk-id ID --pem FILE   store a Yoti PEM key (kept encrypted, data key in the OS keychain)
  idv-review key list [--json]                   list stored keys
  idv-review key remove --sdk-id ID              remove a key
  idv-review fetch SESSION_ID... [--force] [--sdk-id ID] [--api-url URL]
                                                 retrieve sessions and their media into the local store; a stored
                                                 COMPLETED session is kept (only damaged or missing media are fetched
                                                 again) unless --force; the review record is always kept
  idv-review list [--json]                       stored sessions: state, Yoti's recommendation, decision,
                                                 retain-until, cache intact or not (works offline)
  idv-review show SESSION_ID [--json]            show a stored session, its review and the sessions of the same
                                                 document or person seen before (works offline)
  idv-review media SESSION_ID MEDIA_ID --out FILE
                                                 write one stored media item to a file
  idv-review decide SESSION_ID --decision D [--reason CODE]... [--note TEXT] [--reviewer NAME]
             [--before-complete WHY] [--acknowledge-contradiction] [--supersede WHY]
                                                 confirm a decision: APPROVE, REJECT, REQUEST_RESUBMISSION or
                                                 ESCALATE (a reason is required except for APPROVE). Refused until
                                                 each guardrail is met or overridden: a reviewer name; WHY when Yoti
                                                 has not finished; --note to approve against Yoti's result or its
                                                 warnings; acknowledging a reason the console's facts contradict. A
                                                 confirmed decision changes only with --supersede WHY (a new version)
  idv-review export SESSION_ID --out FILE [--redact [numbers|full]] [--force]
                                                 write the review record as PDF (works offline; a DRAFT without a
                                                 confirmed decision); --redact (= numbers) masks document numbers and
                                                 MRZ lines and withholds document page images, --redact full also
                                                 names, dates of birth, addresses and every image; its SHA-256 goes
                                                 into the audit log
  idv-review verify-report (FILE.pdf | --id REPORT_ID) [--json]
                                                 is this PDF (or the printed report with this ID) an export of this
                                                 store, and do its record and evidence still stand? (exit 0 / 3)
  idv-review audit verify [--json]               check the audit chain, every evidence manifest and review record
                                                 against the stored files (exit 0 intact, 3 otherwise)
  idv-review audit log [SESSION_ID] [--json]     the audit entries (of one session)
  idv-review purge [--dry-run]                   delete the sessions past their retain-until, saying which
  idv-review retain SESSION_ID (--until YYYY-MM-DD | --default)
                                                 keep one session until a date, or back to the default
  idv-review delete SESSION_ID [--media MEDIA_ID] [--local-only | --record] [--yes]
                                                 delete evidence at Yoti, then locally (--local-only: only the
                                                 local copy; --record: the review record itself)
  idv-review sandbox [--port N]                  run the local Yoti-compatible demo server

Team mode (optional: a shared PostgreSQL; without it everything works on this workstation alone):
  idv-review team migrate --db URL [--password-stdin]
                                                 admin: create or update the team schema and its roles
  idv-review team connect --db URL [--password-stdin]
                                                 join the team database as your own login role (the
                                                 password goes to the OS keychain; TLS unless on loopback)
  idv-review team queue add SESSION_ID... [--priority N]
                                                 add sessions to the team queue
  idv-review team claim [--json] [--lease MINUTES]
                                                 claim the next undecided session for you and print its
                                                 ID ({"sessionId": null} with --json when none is left)
  idv-review team release SESSION_ID             give your claim back
  idv-review team reassign SESSION_ID --to ROLE  supervisors: hand a claim to another reviewer
  idv-review team countersign SESSION_ID         countersign another reviewer's REJECT or ESCALATE (four eyes)
  idv-review team status [--json]                the queue, decisions waiting for your countersignature,
                                                 conflicts, this workstation's outbox; supervisors: the
                                                 team's figures today
  idv-review team audit verify [--json]          check the team database's hash-chained audit log (exit 0 / 3)
  In team mode, decide also submits the version (kept in an outbox while the database is away).

--sdk-id may be left out when exactly one key is stored, or one is chosen in the app's Settings.
The API is Yoti production unless --api-url (or the app's setting) names another.
IDV_REVIEW_HOME selects the data folder.
Evidence is kept settings.retentionDays days after its first fetch (30 until chosen); review records
settings.recordRetentionDays days after their last change (1,826 until chosen: UK MLR 2017 reg 40).
--debug prints stack traces. Exit codes: 0 ok, 1 usage, 2 remote error, 3 local error.`;

const EXIT: Record<ErrorKind, number> = { usage: 1, remote: 2, local: 3 };

type Command = (ctx: CliContext, argv: string[]) => Promise<number>;

// React (under the PDF renderer) picks its build by NODE_ENV when first loaded: the command line is
// the product, not a development session, so it gets the production build unless told otherwise.
process.env.NODE_ENV ??= 'production';

/**
 * Each command is loaded when it is run, with only what it uses: `--help` loads nothing more, and
 * `list` or `show` never load the PDF renderer, its fonts or React (scripts/build.mjs keeps each in
 * its own chunk; test/unit/cli/lazy-commands.test.ts checks it).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  key: async () => (await import('./commands/key')).keyCommand,
  fetch: async () => (await import('./commands/fetch')).fetchCommand,
  list: async () => (await import('./commands/list')).listCommand,
  show: async () => (await import('./commands/show')).showCommand,
  media: async () => (await import('./commands/media')).mediaCommand,
  decide: async () => (await import('./commands/decide')).decideCommand,
  export: async () => (await import('./commands/export')).exportCommand,
  'verify-report': async () => (await import('./commands/verify-report')).verifyReportCommand,
  audit: async () => (await import('./commands/audit')).auditCommand,
  purge: async () => (await import('./commands/purge')).purgeCommand,
  retain: async () => (await import('./commands/retain')).retainCommand,
  delete: async () => (await import('./commands/delete')).deleteCommand,
  sandbox: async () => (await import('./commands/sandbox')).sandboxCommand,
  team: async () => (await import('./commands/team')).teamCommand,
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${HELP}\n`);
    return name === undefined ? 1 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`idv-review: unknown command "${name}" (see idv-review --help)\n`);
    return 1;
  }
  let ctx: CliContext | undefined;
  try {
    await import('./zod-jitless');
    const [command, { CliContext }] = await Promise.all([load(), import('./context')]);
    ctx = new CliContext(io);
    return await command(ctx, rest);
  } catch (e) {
    ctx?.out.clearProgress();
    const message = e instanceof Error ? e.message : String(e);
    io.stderr.write(`idv-review: ${redact(message)}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr.write(`${redact(e.stack)}\n`);
    return isAppError(e) ? EXIT[e.kind] : 3;
  }
}

function processIo(): CliIo {
  // The reader went away (`idv-review show ID | head -1`): stop quietly, as other command-line tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') process.stderr.write(`idv-review: cannot write the output (${err.code ?? 'error'})\n`);
    process.exit(err.code === 'EPIPE' ? 0 : 3);
  });
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    confirm: interactive
      ? async (question) => {
          const rl = createInterface({ input: process.stdin, output: process.stderr });
          try {
            return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
          } finally {
            rl.close();
          }
        }
      : undefined,
    untilInterrupted: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}
