import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { LocalError } from '../../../common/errors';
import { DIR_MODE, errnoCode, FILE_MODE } from '../store/atomic';

/**
 * One writer at a time across processes (the desktop app and the `idv-review` command line share the
 * data folder). Every multi-file update and every audit append runs inside `StoreLock.run`; reads
 * need no lock because every file is replaced atomically.
 *
 * The lock is a file `<dataDir>/store.lock` holding `{"pid","host","token","at"}`. It is taken by
 * writing that content to a private temp file and hard-linking it to the lock name: link() fails with
 * EEXIST when the lock is held, and the lock file is never seen half-written.
 *
 * A lock is stale when its process is gone (same host, `kill(pid, 0)` says ESRCH), or when it is older
 * than `staleMs` (a pid reused by another program, another host on a shared folder). A stale lock is
 * broken only while holding a second, short-lived lock (`store.lock.break`), and only if it still
 * carries the token that was judged stale, so two processes cannot both break it and both win.
 *
 * Waiting is first come, first served: a process that finds the lock taken leaves a ticket
 * (`store.lock.wait-<token>`, same content) and does not take the lock while an older live ticket
 * exists; a process about to take a free lock first looks for tickets. So a process that saves in a
 * tight loop cannot starve the other one (the app while the CLI works, and the other way round).
 * Tickets of dead processes are removed like stale locks.
 *
 * Within one process, calls are queued first, so the file lock is taken once per section. Sections
 * must not nest (internal `…Locked` helpers assume the lock is held).
 */

export interface StoreLockOptions {
  /** The lock file, e.g. `<dataDir>/store.lock`. */
  path: string;
  /** How long to wait for another process before STORE_BUSY (default 30 s). */
  timeoutMs?: number;
  /** A lock older than this is stale even if its pid looks alive (default 10 minutes). */
  staleMs?: number;
  /** Injected for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  isAlive?: (pid: number) => boolean;
  pid?: number;
  hostname?: string;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
  at: number;
}

export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;
export const DEFAULT_STALE_MS = 10 * 60_000;
/** A breaker lock is held for a few file operations; older than this, its holder died mid-break. */
const BREAKER_STALE_MS = 10_000;

/** Tokens of the locks (and waiting tickets) this process holds now, to tell ours from a dead namesake's. */
const HELD_HERE = new Set<string>();
const TICKET = '.wait-';
/** Longest pause between two attempts while waiting. */
const MAX_POLL_MS = 20;

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return errnoCode(err) === 'EPERM';
  }
}

export class StoreLock {
  readonly path: string;
  private readonly timeoutMs: number;
  private readonly staleMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly isAlive: (pid: number) => boolean;
  private readonly pid: number;
  private readonly host: string;
  private queue: Promise<unknown> = Promise.resolve();
  private held = false;

  constructor(opts: StoreLockOptions) {
    this.path = opts.path;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.staleMs = opts.staleMs ?? DEFAULT_STALE_MS;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => delay(ms));
    this.isAlive = opts.isAlive ?? processIsAlive;
    this.pid = opts.pid ?? process.pid;
    this.host = opts.hostname ?? safeHostname();
  }

  /** True while this process holds the lock (for assertions in locked helpers). */
  get isHeld(): boolean {
    return this.held;
  }

  /** Runs `fn` while holding the lock: queued within the process, exclusive across processes. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const section = async (): Promise<T> => {
      const token = await this.acquire();
      this.held = true;
      try {
        return await fn();
      } finally {
        this.held = false;
        await this.release(token);
      }
    };
    const result = this.queue.then(section, section);
    this.queue = result.catch(() => undefined);
    return result;
  }

  // ---- internals ----

  private async acquire(): Promise<string> {
    const token = randomBytes(12).toString('hex');
    const content: LockContent = { pid: this.pid, host: this.host, token, at: this.now() };
    const started = this.now();
    let wait = 1;
    let lastHolder: LockContent | null = null;
    let ticket: LockContent | null = null;
    // Known as ours before the lock file exists, so another StoreLock of this process never judges it stale.
    HELD_HERE.add(token);
    let acquired = false;
    try {
      for (;;) {
        const ahead = await this.waitersAhead(ticket);
        if (ahead === 0 && (await this.tryCreate(this.path, content))) {
          acquired = true;
          return token;
        }
        if (ahead === 0) {
          const holder = await readLock(this.path);
          if (holder === 'missing') continue; // released meanwhile: try again at once
          if (holder !== 'unreadable') lastHolder = holder;
          if (holder !== 'unreadable' && this.isStale(holder, this.staleMs)) {
            await this.breakStale(holder);
            continue;
          }
        }
        if (ticket === null) {
          ticket = { pid: this.pid, host: this.host, token: randomBytes(12).toString('hex'), at: this.now() };
          HELD_HERE.add(ticket.token);
          await this.tryCreate(`${this.path}${TICKET}${ticket.token}`, ticket);
          continue;
        }
        if (this.now() - started >= this.timeoutMs) throw busy(this.path, lastHolder, this.timeoutMs);
        await this.sleep(wait + Math.floor(Math.random() * wait));
        wait = Math.min(wait * 2, MAX_POLL_MS);
      }
    } finally {
      if (!acquired) HELD_HERE.delete(token);
      if (ticket !== null) {
        HELD_HERE.delete(ticket.token);
        await unlink(`${this.path}${TICKET}${ticket.token}`).catch(() => undefined);
      }
    }
  }

  /** Live waiting tickets older than ours (all of them when we have none yet); removes stale ones. */
  private async waitersAhead(mine: LockContent | null): Promise<number> {
    const dir = dirname(this.path);
    const prefix = `${basename(this.path)}${TICKET}`;
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.startsWith(prefix));
    } catch {
      return 0;
    }
    let ahead = 0;
    for (const name of names) {
      if (mine !== null && name === `${prefix}${mine.token}`) continue;
      const other = await readLock(join(dir, name));
      if (other === 'missing' || other === 'unreadable') continue;
      if (this.isStale(other, this.staleMs)) {
        await unlink(join(dir, name)).catch(() => undefined);
        continue;
      }
      if (mine === null || other.at < mine.at || (other.at === mine.at && other.token < mine.token)) ahead += 1;
    }
    return ahead;
  }

  private async release(token: string): Promise<void> {
    HELD_HERE.delete(token);
    const holder = await readLock(this.path);
    // Never remove a lock that is not ours (ours was judged stale and broken meanwhile).
    if (holder === 'missing' || holder === 'unreadable' || holder.token !== token) return;
    await unlink(this.path).catch(() => undefined);
  }

  private isStale(holder: LockContent, staleMs: number): boolean {
    if (this.now() - holder.at > staleMs) return true;
    if (holder.host !== this.host) return false;
    // Our pid: held by another StoreLock of this process (wait), or left by a dead process whose pid we reuse.
    if (holder.pid === this.pid) return !HELD_HERE.has(holder.token);
    return !this.isAlive(holder.pid);
  }

  /** Removes the lock judged stale, if it is still that same lock, while holding the breaker lock. */
  private async breakStale(stale: LockContent): Promise<void> {
    const breaker = `${this.path}.break`;
    const mine: LockContent = { pid: this.pid, host: this.host, token: randomBytes(12).toString('hex'), at: this.now() };
    HELD_HERE.add(mine.token);
    if (!(await this.tryCreate(breaker, mine))) {
      HELD_HERE.delete(mine.token);
      const other = await readLock(breaker);
      if (other !== 'missing' && other !== 'unreadable' && this.isStale(other, BREAKER_STALE_MS)) {
        await unlink(breaker).catch(() => undefined);
      } else {
        await this.sleep(2);
      }
      return;
    }
    try {
      const again = await readLock(this.path);
      if (again !== 'missing' && again !== 'unreadable' && again.token === stale.token) {
        await unlink(this.path).catch(() => undefined);
      }
    } finally {
      HELD_HERE.delete(mine.token);
      const still = await readLock(breaker);
      if (still !== 'missing' && still !== 'unreadable' && still.token === mine.token) await unlink(breaker).catch(() => undefined);
    }
  }

  private async tryCreate(path: string, content: LockContent): Promise<boolean> {
    const dir = dirname(path);
    const tmp = join(dir, `.${basename(path)}.${content.token}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await mkdir(dir, { recursive: true, mode: DIR_MODE });
      await writeFile(tmp, JSON.stringify(content), { mode: FILE_MODE, flag: 'wx' });
    } catch (err) {
      throw lockWriteFailed(path, err);
    }
    try {
      await link(tmp, path);
      return true;
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') return false;
      throw lockWriteFailed(path, err);
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
  }
}

async function readLock(path: string): Promise<LockContent | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 'missing';
    return 'unreadable';
  }
  try {
    const v: unknown = JSON.parse(text);
    if (
      typeof v === 'object' && v !== null &&
      'pid' in v && typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0 &&
      'host' in v && typeof v.host === 'string' &&
      'token' in v && typeof v.token === 'string' &&
      'at' in v && typeof v.at === 'number' && Number.isFinite(v.at)
    ) {
      return { pid: v.pid, host: v.host, token: v.token, at: v.at };
    }
  } catch {
    // fall through
  }
  // Not ours in any format we write: treat as stale from the start (it can never be released).
  return { pid: 0, host: '', token: `invalid:${text.length}`, at: 0 };
}

function safeHostname(): string {
  try {
    return osHostname();
  } catch {
    return 'unknown-host';
  }
}

function busy(path: string, holder: LockContent | null, timeoutMs: number): LocalError {
  const who = holder ? `process ${holder.pid}${holder.host ? ` on ${holder.host}` : ''}` : 'another process';
  return new LocalError(
    'STORE_BUSY',
    `The local store is busy: ${who} has held its lock (${path}) for more than ${Math.round(timeoutMs / 1000)} s. ` +
      'Wait for the other IDV Review Console window or idv-review command to finish, then retry.',
  );
}

function lockWriteFailed(path: string, err: unknown): LocalError {
  const code = errnoCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new LocalError('DISK_FULL', `The disk is full; nothing was changed (could not take the store lock ${path}). Free some space and retry.`, {
      cause: err,
    });
  }
  return new LocalError('LOCK_FAILED', `Cannot take the store lock ${path}${code ? ` (${code})` : ''}; nothing was changed.`, { cause: err });
}
