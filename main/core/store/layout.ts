import { randomBytes } from 'node:crypto';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalError } from '../../../common/errors';
import { assertYotiId, isYotiId } from '../../../common/yoti-ids';
import { ensurePrivateDir, errnoCode, syncDir, type AtomicFs } from './atomic';

/**
 * Where each kind of data lives under the data folder. Evidence (Yoti's session JSON and media:
 * personal data, kept for the evidence retention) and review records (versions, evidence viewed:
 * regulatory records, kept for the record retention) have separate folders, so deleting one never
 * touches the other.
 *
 *   evidence/<sessionId>/   session.idvc, media-<mediaId>.idvc, retention.idvr
 *   records/<sessionId>/    v-<seq>.idvr, viewed.idvr
 *   audit/                  log.jsonl, head.json
 *   seen-before/            index.idvr
 *
 * Before this layout, both lived under `cache/<sessionId>/` (records in its `review/` folder), and
 * deleting a session's evidence took its record with it. migrateLegacyLayout() moves such a store
 * once (offline-store.ts runs it as one audited step).
 */

const EVIDENCE_FOLDER = 'evidence';
const RECORDS_FOLDER = 'records';
const LEGACY_FOLDER = 'cache';
const LEGACY_RECORDS = 'review';
/** A folder being removed is first renamed to this prefix (removal finished on the next open). */
const TRASH_PREFIX = '.trash-';

/** `<dataDir>/evidence`: one folder per session. */
export function evidenceRoot(dataDir: string): string {
  return join(dataDir, EVIDENCE_FOLDER);
}

/** `<dataDir>/evidence/<sessionId>` (the id must be a valid Yoti id). */
export function evidenceDir(dataDir: string, sessionId: string): string {
  return join(evidenceRoot(dataDir), assertYotiId(sessionId, 'session ID'));
}

/** `<dataDir>/records`: one folder per reviewed session. */
export function recordsRoot(dataDir: string): string {
  return join(dataDir, RECORDS_FOLDER);
}

/** `<dataDir>/records/<sessionId>` (the id must be a valid Yoti id). */
export function recordDir(dataDir: string, sessionId: string): string {
  return join(recordsRoot(dataDir), assertYotiId(sessionId, 'session ID'));
}

/** The data folder still has the layout before evidence and records were separated. */
export async function hasLegacyLayout(dataDir: string): Promise<boolean> {
  try {
    return (await stat(join(dataDir, LEGACY_FOLDER))).isDirectory();
  } catch {
    return false;
  }
}

/** What a migration moved. */
export interface LayoutMigration {
  sessions: number;
  records: number;
}

/**
 * Moves `cache/<sid>/review/` to `records/<sid>/` and `cache/<sid>/` to `evidence/<sid>/`, each a
 * rename (atomic, no space needed), then removes the empty `cache/`. Everything is checked first (a
 * name that would overwrite something, or a file this app did not write, stops it in words with
 * nothing moved), then `announce` is told what will move (the audit entry), then it moves. Safe to
 * run again after a crash at any point: what moved is not there any more.
 */
export async function migrateLegacyLayout(fs: AtomicFs, dataDir: string, announce: (plan: LayoutMigration) => Promise<void>): Promise<LayoutMigration> {
  const legacy = join(dataDir, LEGACY_FOLDER);
  let names: string[];
  try {
    names = (await readdir(legacy)).sort();
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { sessions: 0, records: 0 };
    throw layoutError(`its old folder ${legacy} cannot be read (${errnoCode(err) ?? 'error'})`, err);
  }
  const strangers = names.filter((n) => !n.startsWith(TRASH_PREFIX) && !isYotiId(n));
  if (strangers.length > 0) throw layoutError(`${legacy} holds ${strangers.slice(0, 3).join(', ')}, which this app did not write: move it out of the data folder`);
  const sessions = names.filter((n) => !n.startsWith(TRASH_PREFIX));
  const withRecords = new Set<string>();
  for (const sid of sessions) {
    if (await exists(join(legacy, sid, LEGACY_RECORDS))) withRecords.add(sid);
    for (const to of [evidenceDir(dataDir, sid), ...(withRecords.has(sid) ? [recordDir(dataDir, sid)] : [])]) {
      if (await exists(to)) throw layoutError(`both ${join(legacy, sid)} and ${to} exist: move one of them out of the data folder`);
    }
  }
  const plan: LayoutMigration = { sessions: sessions.length, records: withRecords.size };
  await announce(plan);
  await ensurePrivateDir(evidenceRoot(dataDir), fs);
  await ensurePrivateDir(recordsRoot(dataDir), fs);
  for (const name of names) {
    const from = join(legacy, name);
    if (name.startsWith(TRASH_PREFIX)) {
      await rm(from, { recursive: true, force: true });
      continue;
    }
    if (withRecords.has(name)) await moveFolder(fs, join(from, LEGACY_RECORDS), recordDir(dataDir, name));
    await moveFolder(fs, from, evidenceDir(dataDir, name));
  }
  await syncDir(fs, recordsRoot(dataDir));
  await syncDir(fs, evidenceRoot(dataDir));
  await syncDir(fs, legacy);
  await rmdir(legacy);
  await syncDir(fs, dataDir);
  return plan;
}

/**
 * Removes `<root>/<name>` so that readers see all of it or none of it: renamed out of sight first
 * (durable: after a crash it is trash, swept on the next open), then removed. True if it was there.
 */
export async function removeFolder(fs: AtomicFs, root: string, name: string): Promise<boolean> {
  const trash = join(root, `${TRASH_PREFIX}${name}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.rename(join(root, name), trash);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
  await syncDir(fs, root);
  await rm(trash, { recursive: true, force: true });
  await syncDir(fs, root);
  return true;
}

/** Finishes removals a crash interrupted (folders renamed to `.trash-…` under root). */
export async function sweepTrash(root: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return 0;
  }
  const trash = names.filter((n) => n.startsWith(TRASH_PREFIX));
  for (const name of trash) await rm(join(root, name), { recursive: true, force: true }).catch(() => undefined);
  return trash.length;
}

async function moveFolder(fs: AtomicFs, from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (err) {
    throw layoutError(`${from} could not be moved to ${to} (${errnoCode(err) ?? 'error'})`, err);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
}

function layoutError(why: string, cause?: unknown): LocalError {
  return new LocalError(
    'STORE_LAYOUT',
    `The data folder could not be moved to the layout that keeps review records apart from evidence: ${why}. Nothing was lost; the app tries again on the next start.`,
    cause === undefined ? undefined : { cause },
  );
}
