import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { appendFile, mkdtemp, readFile, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AuditLog, checkChain, type AuditEntry, type AuditEventType } from '../../../main/core/audit/audit-log';
import { SEAL_EVERY, sealPrefix } from '../../../main/core/audit/sealed-prefix';
import { canonicalJson } from '../../../main/core/audit/canonical';
import type { JsonObject } from '../../../main/core/audit/canonical';

const S1 = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const S2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const WHO = { name: 'R. Viewer', osAccount: 'tester' };

let dir: string;
let key: Buffer;
let log: AuditLog;
let t: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idv-audit-'));
  key = randomBytes(32);
  t = Date.parse('2025-05-01T10:00:00Z');
  log = new AuditLog({ dataDir: dir, key, who: WHO, now: () => new Date((t += 1000)) });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function append(type: AuditEventType, sessionId: string | null, data: JsonObject = {}, l: AuditLog = log) {
  await l.openLocked();
  return l.appendLocked(type, sessionId, data);
}

async function fill(n = 6): Promise<void> {
  for (let i = 0; i < n; i += 1) await append(i % 2 ? 'session.opened' : 'media.viewed', i % 3 ? S1 : S2, i % 2 ? {} : { mediaId: `m${i}`, tools: { zoom: true } });
}

const lines = async () => (await readFile(log.logPath, 'utf8')).split('\n').filter((l) => l !== '');
const writeLines = (ls: string[]) => writeFile(log.logPath, ls.map((l) => `${l}\n`).join(''));

async function firstProblem(): Promise<string> {
  const c = await log.check();
  expect(c.ok).toBe(false);
  return c.problems[0] ?? '';
}

describe('append and read back', () => {
  test('entries chain, carry who and when, and verify; the anchor records count and head', async () => {
    await fill(5);
    const entries = await log.entries();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prev).toBe('0'.repeat(64));
    entries.slice(1).forEach((e, i) => expect(e.prev).toBe(entries[i]!.mac));
    expect(entries[0]).toMatchObject({ v: 1, who: WHO, type: 'media.viewed', sessionId: S2, at: expect.stringMatching(/^2025-05-01T10:00:0\d\.000Z$/) });
    const head = await log.head();
    expect(head).toMatchObject({ count: 5, head: entries[4]!.mac });
    expect((await log.check()).ok).toBe(true);
    expect((await log.entries({ sessionId: S2 })).map((e) => e.seq)).toEqual([1, 4]);
    // Each line is the canonical JSON of its entry.
    expect(await lines()).toEqual(entries.map((e) => canonicalJson(e as unknown as JsonObject)));
  });

  test('a fresh log has an anchor before its first entry', async () => {
    await log.openLocked();
    expect(await log.head()).toMatchObject({ count: 0, bytes: 0 });
    expect((await log.check()).ok).toBe(true);
  });

  test('a second writer (another AuditLog on the same folder) continues the same chain', async () => {
    await fill(2);
    const other = new AuditLog({ dataDir: dir, key, who: { name: null, osAccount: 'other' } });
    await append('key.imported', null, { sdkId: 'x' }, other);
    await append('session.opened', S1);
    expect((await log.entries()).map((e) => [e.seq, e.who.osAccount])).toEqual([[1, 'tester'], [2, 'tester'], [3, 'other'], [4, 'tester']]);
  });

  test('refuses data that is not plain JSON', async () => {
    await log.openLocked();
    await expect(log.appendLocked('session.opened', S1, { bad: Number.NaN })).rejects.toThrow(TypeError);
  });
});

describe('tampering is detected and named', () => {
  test('an edited entry (one character of its data)', async () => {
    await fill();
    const ls = await lines();
    ls[2] = ls[2]!.replace('"sessionId":"', '"sessionId":"0');
    await writeLines(ls);
    expect(await firstProblem()).toMatch(/audit entry #3 .*does not verify/);
  });

  test('an entry recomputed without the key (its own SHA-256 as MAC)', async () => {
    await fill();
    const ls = await lines();
    const e = JSON.parse(ls[1]!) as Record<string, unknown>;
    e.type = 'session.deleted';
    e.mac = randomBytes(32).toString('hex');
    ls[1] = canonicalJson(e as JsonObject);
    await writeLines(ls);
    expect(await firstProblem()).toMatch(/audit entry #2 .*does not verify/);
  });

  test('a removed entry', async () => {
    await fill();
    const ls = await lines();
    ls.splice(3, 1);
    await writeLines(ls);
    expect(await firstProblem()).toMatch(/audit entry #4 has sequence number 5/);
  });

  test('two entries swapped', async () => {
    await fill();
    const ls = await lines();
    [ls[1], ls[2]] = [ls[2]!, ls[1]!];
    await writeLines(ls);
    expect(await firstProblem()).toMatch(/audit entry #2 has sequence number 3/);
  });

  test('an entry duplicated (inserted)', async () => {
    await fill();
    const ls = await lines();
    ls.splice(2, 0, ls[1]!);
    await writeLines(ls);
    expect(await firstProblem()).toMatch(/audit entry #3 has sequence number 2/);
  });

  test('the last entries cut off (whole lines)', async () => {
    await fill();
    const ls = await lines();
    await writeLines(ls.slice(0, 4));
    expect(await firstProblem()).toMatch(/ends after entry #4 but its anchor records 6 entries/);
  });

  test('cut in the middle of an entry', async () => {
    await fill();
    const bytes = await readFile(log.logPath);
    await truncate(log.logPath, bytes.length - 40);
    expect(await firstProblem()).toMatch(/audit entry #6 is incomplete: the log was truncated/);
  });

  test('the anchor edited, deleted, or the whole log emptied', async () => {
    await fill();
    const head = JSON.parse(await readFile(log.headPath, 'utf8')) as Record<string, unknown>;
    await writeFile(log.headPath, JSON.stringify({ ...head, count: 4 }));
    expect(await firstProblem()).toMatch(/anchor .* does not verify/);
    await unlink(log.headPath);
    expect(await firstProblem()).toMatch(/anchor .* is missing/);
    // Opening for writing refuses too (fail closed): nothing more is recorded on a log that lost its anchor.
    await expect(log.openLocked()).rejects.toMatchObject({ code: 'AUDIT_DAMAGED' });
  });

  test('a log rewritten after the anchored entry (same length, other entries)', async () => {
    await fill(3);
    const anchored = await readFile(log.headPath);
    await fill(2);
    const ls = await lines();
    // An attacker restores the old anchor but keeps entries after it: they verify as an unanchored tail…
    await writeFile(log.headPath, anchored);
    let c = await log.check();
    expect(c.ok).toBe(true);
    expect(c.warnings[0]).toMatch(/2 audit entries were written after the anchor/);
    // …but cannot replace anchored entries.
    ls[2] = ls[3]!;
    await writeLines(ls.slice(0, 3));
    c = await log.check();
    expect(c.problems[0]).toMatch(/audit entry #3/);
  });

  test('written with another key: the first entry already fails', async () => {
    await fill();
    const other = new AuditLog({ dataDir: dir, key: randomBytes(32), who: WHO });
    const c = await other.check();
    expect(c.ok).toBe(false);
    expect(c.problems[0]).toMatch(/anchor|#1/);
  });

  test('a check goes on from the lines an earlier one verified, and trusts none of them once they change', async () => {
    await fill(3);
    const first = await log.check();
    expect(first.verified.entries).toHaveLength(3);
    await fill(2);
    // From the verified prefix: the same answer as checking every line.
    const bytes = await readFile(log.logPath);
    const head = await readFile(log.headPath, 'utf8');
    const resumed = checkChain(key, bytes, head, first.verified);
    const full = checkChain(key, bytes, head);
    expect(resumed.ok).toBe(true);
    expect(resumed.entries).toEqual(full.entries);
    expect(resumed.verified).toEqual(full.verified);
    expect((await log.check()).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    // An entry the last check verified is edited in place (same length): the prefix no longer matches, every line is checked again.
    const ls = await lines();
    ls[1] = ls[1]!.replace(/"seq":2/, '"seq":9');
    await writeLines(ls);
    const after = await log.check();
    expect(after.ok).toBe(false);
    expect(after.problems[0]).toMatch(/#2/);
  });

  test('checkChain is pure: the same bytes, the same answer', async () => {
    await fill();
    const bytes = await readFile(log.logPath);
    const head = await readFile(log.headPath, 'utf8');
    expect(checkChain(key, bytes, head).ok).toBe(true);
    const flipped = Buffer.from(bytes);
    flipped[100] = flipped[100]! ^ 0x01;
    expect(checkChain(key, flipped, head).ok).toBe(false);
  });
});

describe('interrupted writes', () => {
  test('an entry appended but not anchored (crash before head.json) is kept and anchored by the next writer', async () => {
    await fill(3);
    await log.openLocked();
    await log.appendLocked('review.note-saved', S1, { seq: 1 }, { intent: true });
    // Process "dies" here: no anchor for entry 4.
    expect((await log.head())?.count).toBe(3);
    const c = await log.check();
    expect(c.ok).toBe(true);
    expect(c.unreconciled.map((e) => e.seq)).toEqual([4]);
    const next = new AuditLog({ dataDir: dir, key, who: WHO });
    const { tail } = await next.openLocked();
    expect(tail.map((e) => e.seq)).toEqual([4]);
    await next.anchorLocked();
    expect((await next.head())?.count).toBe(4);
  });

  test('a torn last line (crash mid-append) is cut off on the next open', async () => {
    await fill(3);
    await appendFile(log.logPath, '{"at":"2025-05-01T10:00:09.000Z","data":{},"int');
    const c = await log.check();
    expect(c.ok).toBe(true);
    expect(c.warnings[0]).toMatch(/incomplete entry after entry #3/);
    const next = new AuditLog({ dataDir: dir, key, who: WHO });
    const { repairedBytes } = await next.openLocked();
    expect(repairedBytes).toBe(47);
    await next.appendLocked('audit.repaired', null, { droppedBytes: repairedBytes });
    expect((await log.check()).ok).toBe(true);
    expect((await log.entries()).at(-1)).toMatchObject({ seq: 4, type: 'audit.repaired' });
  });

  test('garbage after the anchor that is a complete line is not repaired: writing stops (fail closed)', async () => {
    await fill(2);
    await appendFile(log.logPath, '{"forged":true}\n');
    await expect(new AuditLog({ dataDir: dir, key, who: WHO }).openLocked()).rejects.toMatchObject({ code: 'AUDIT_DAMAGED' });
  });

  test('a log shorter than its anchor is refused for writing', async () => {
    await fill(3);
    await truncate(log.logPath, 10);
    await expect(log.openLocked()).rejects.toMatchObject({ code: 'AUDIT_DAMAGED', message: expect.stringMatching(/truncated/) });
  });
});

describe('the verified prefix, kept for later processes (sealed-prefix.ts)', () => {
  const prefixPath = () => join(dir, 'audit', 'verified.json');
  /** A new process's view of the log: nothing verified in memory. */
  const fresh = (seal = true) => new AuditLog({ dataDir: dir, key, who: WHO, now: () => new Date((t += 1000)), sealVerifiedPrefix: seal });
  const breakMacOfFirstLine = async () => {
    const ls = await lines();
    ls[0] = ls[0]!.replace(/"mac":"(.)/, (_, c: string) => `"mac":"${c === '0' ? '1' : '0'}`);
    await writeLines(ls);
  };

  test('recorded once enough entries verified; a new process then skips what it records, and audit verify does not', async () => {
    await fill(SEAL_EVERY - 1);
    expect((await fresh().check()).ok).toBe(true);
    expect(existsSync(prefixPath())).toBe(false); // not worth an fsync yet
    await fill(2);
    expect((await fresh().check()).ok).toBe(true);
    expect(JSON.parse(await readFile(prefixPath(), 'utf8'))).toMatchObject({ v: 1, count: SEAL_EVERY + 1 });

    // Only the key's holder can record a prefix: one over a broken first line shows that a new process
    // does not check those lines again, while audit verify checks every line.
    await breakMacOfFirstLine();
    const bytes = await readFile(log.logPath);
    const ends = [...bytes.entries()].filter(([, b]) => b === 0x0a).map(([i]) => i + 1);
    const entries = (await lines()).map((l) => JSON.parse(l) as AuditEntry);
    expect(await sealPrefix(key, prefixPath(), { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), entries, ends }, nodeFs)).toBe(true);
    expect((await fresh().check()).ok).toBe(true);
    const full = await fresh().verify();
    expect(full.ok).toBe(false);
    expect(full.problems[0]).toMatch(/^audit entry #1 .* does not verify/);
  });

  test('a log changed in its first bytes, a record made with another key or edited, and lines after it: all checked', async () => {
    await fill(SEAL_EVERY + 1);
    expect((await fresh().check()).ok).toBe(true);
    const record = await readFile(prefixPath(), 'utf8');
    const original = await lines();

    await breakMacOfFirstLine(); // the recorded SHA-256 no longer matches: every line is checked
    expect((await fresh().check()).problems[0]).toMatch(/^audit entry #1 .* does not verify/);

    // The same broken bytes recorded with another key, or the record's count edited: ignored.
    const bytes = await readFile(log.logPath);
    const prefix = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), entries: (await lines()).map((l) => JSON.parse(l) as AuditEntry), ends: [] };
    await sealPrefix(randomBytes(32), prefixPath(), prefix, nodeFs);
    expect((await fresh().check()).ok).toBe(false);
    await sealPrefix(key, prefixPath(), prefix, nodeFs);
    const edited = JSON.parse(await readFile(prefixPath(), 'utf8')) as { count: number };
    await writeFile(prefixPath(), JSON.stringify({ ...edited, count: edited.count - 1 }));
    expect((await fresh().check()).ok).toBe(false);

    // A valid record, then an edited line after it: checked.
    await writeFile(prefixPath(), record);
    await writeLines(original);
    expect((await fresh().check()).ok).toBe(true);
    await append('session.opened', S1);
    const after = await lines();
    after[after.length - 1] = after.at(-1)!.replace('"session.opened"', '"session.fetched"');
    await writeLines(after);
    expect((await fresh().check()).problems[0]).toMatch(new RegExp(`^audit entry #${SEAL_EVERY + 2} .* does not verify`));
  });

  test('a store opened read-only records nothing', async () => {
    await fill(SEAL_EVERY + 1);
    expect((await fresh(false).check()).ok).toBe(true);
    expect(existsSync(prefixPath())).toBe(false);
  });
});
