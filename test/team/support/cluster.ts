import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, appendFile, chown, constants, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A throwaway PostgreSQL cluster on 127.0.0.1, gone (processes and files) after stop(). */
export type TestCluster = {
  host: '127.0.0.1';
  port: number;
  adminUser: string;
  adminPassword: string;
  /** postgres://user:password@127.0.0.1:port/postgres */
  adminUrl: string;
  /** Stops the server and removes its files; safe to call more than once. */
  stop(): Promise<void>;
};

const ADMIN_USER = 'idv_admin';
// Debian installs the server binaries here, off PATH: /usr/lib/postgresql/<major>/bin.
const DEBIAN_PG_ROOT = '/usr/lib/postgresql';
// The user the server runs as when the tests run as root: initdb and postgres refuse root.
const UNPRIVILEGED_USER = 'nobody';
const LOG_TAIL_LINES = 30;

/** initdb, then pg_ctl start on a free port in a fresh temp dir; settings favour speed over durability. */
export async function startCluster(): Promise<TestCluster> {
  const bin = await serverBinDir();
  const asUser = await unprivilegedPrefix();
  const dir = await mkdtemp(join(tmpdir(), 'idv-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  const pgCtl = join(bin, 'pg_ctl');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Nothing to stop if initdb or the start never got that far.
      if (await exists(join(dataDir, 'postmaster.pid'))) {
        await run(asUser, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop'], dir);
      }
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    if (asUser.owner) await chown(dir, asUser.owner.uid, asUser.owner.gid);
    const adminPassword = randomBytes(24).toString('base64url');
    const pwFile = join(dir, 'pwfile');
    await writeFile(pwFile, `${adminPassword}\n`, { mode: 0o600 });
    try {
      if (asUser.owner) await chown(pwFile, asUser.owner.uid, asUser.owner.gid);
      await run(
        asUser,
        join(bin, 'initdb'),
        [
          '-D', dataDir,
          '-U', ADMIN_USER,
          `--pwfile=${pwFile}`,
          '--auth-local=trust',
          '--auth-host=scram-sha-256',
          '-E', 'UTF8',
          '--locale=C.UTF-8',
          // a cluster that lives for one run needs no fsync of its files
          '--no-sync',
        ],
        dir,
      );
    } finally {
      await rm(pwFile, { force: true });
    }

    const port = await freePort();
    // Later lines win in postgresql.conf; written to the file rather than passed via pg_ctl -o,
    // which goes through a shell and would need the paths quoted for it.
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      [
        '',
        '# test cluster (test/team/support/cluster.ts)',
        `listen_addresses = '127.0.0.1'`,
        `port = ${port}`,
        `unix_socket_directories = ${confString(dir)}`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    // -t: give up before vitest's 60 s hook timeout, so the log tail below gets reported.
    await run(asUser, pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '30', 'start'], dir);

    return {
      host: '127.0.0.1',
      port,
      adminUser: ADMIN_USER,
      adminPassword,
      adminUrl: `postgres://${ADMIN_USER}:${encodeURIComponent(adminPassword)}@127.0.0.1:${port}/postgres`,
      stop,
    };
  } catch (e) {
    const log = await tail(logFile);
    let message = `Could not start the test PostgreSQL cluster in ${dir}: ${(e as Error).message}`;
    if (log) message += `\nLast lines of the server log:\n${log}`;
    await stop().catch((stopError: unknown) => {
      message += `\nCleaning up also failed: ${(stopError as Error).message}`;
    });
    throw new Error(message, { cause: e });
  }
}

/** The bin dir of the highest PostgreSQL major that has the server (the client package alone lacks initdb). */
async function serverBinDir(): Promise<string> {
  const majors = (await readdir(DEBIAN_PG_ROOT).catch(() => []))
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    const bin = join(DEBIAN_PG_ROOT, major, 'bin');
    if ((await exists(join(bin, 'initdb'))) && (await exists(join(bin, 'pg_ctl')))) return bin;
  }
  throw new Error(
    `No PostgreSQL server found in ${DEBIAN_PG_ROOT}/<major>/bin: install the Debian package postgresql (scripts/install-system-packages.sh).`,
  );
}

type UserPrefix = { argv: string[]; owner?: { uid: number; gid: number } };

/** As root, commands run through setpriv (util-linux, on every Debian) as an unprivileged user; otherwise as they are. */
async function unprivilegedPrefix(): Promise<UserPrefix> {
  if (process.getuid?.() !== 0) return { argv: [] };
  const { stdout } = await execFileAsync('getent', ['passwd', UNPRIVILEGED_USER]).catch(() => {
    throw new Error(`Running as root, the test cluster needs the user ${UNPRIVILEGED_USER} to run PostgreSQL as, and there is none.`);
  });
  const [, , uid, gid] = stdout.trim().split(':');
  const owner = { uid: Number(uid), gid: Number(gid) };
  return { argv: ['setpriv', `--reuid=${owner.uid}`, `--regid=${owner.gid}`, '--clear-groups', '--'], owner };
}

/** Runs a PostgreSQL tool; its stderr becomes the error message. cwd: the unprivileged user may not reach ours. */
async function run(asUser: UserPrefix, file: string, args: string[], cwd: string): Promise<void> {
  const [command, ...rest] = [...asUser.argv, file, ...args] as [string, ...string[]];
  try {
    await execFileAsync(command, rest, { cwd });
  } catch (e) {
    const { stderr, message } = e as Error & { stderr?: string };
    throw new Error(`${basename(file)} failed: ${stderr?.trim() || message}`, { cause: e });
  }
}

/** A port free right now; the small race until postgres binds it is accepted. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A string value in postgresql.conf syntax. */
function confString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
}
