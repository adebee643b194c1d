import { appendFile, copyFile, mkdtemp, readdir, readFile, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { correctedDocuments } from '../../../common/session/changed-fields';
import { parseSession } from '../../../common/session/parse';
import { createDemoSessions, DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { DemoMedia, DemoSession } from '../../../main/core/demo-server/types';
import { gatherReportInput } from '../../../main/core/report/gather';
import { handlerHarness } from './handler-harness';

/*
 * Opening a session (and exporting its record) decrypts and checks every stored item once: the view's own reads (the summary's
 * document fields, the media walk) are what the integrity check against the audit log reuses. Whatever
 * was changed on disk before the opening is still named, in the same words as the check on its own
 * (OfflineStore.sessionIntegrity, which decrypts everything again) names it.
 */
const { approvedPassport, rejectedIdCard, edgeCases } = DEMO_SESSION_IDS;
const PRINTED_FIELDS = 'printed-fields-of-the-licence';

/**
 * The demo set, but the edge case's licence keeps its own fields (as read from the document) beside
 * the text data check's JSON, which corrects the date of birth: the summary reads both ahead of the media.
 */
function demoWithCorrectedFields(): DemoSession[] {
  return createDemoSessions().map((s) => {
    if (s.sessionId !== edgeCases) return s;
    const session = structuredClone(s.session) as { resources: { id_documents: Array<{ document_fields?: { media: { id: string } } }> } };
    const licence = session.resources.id_documents[0]!;
    licence.document_fields = { media: { ...licence.document_fields!.media, id: PRINTED_FIELDS } };
    const printed = { full_name: 'ROBIN ALEX SAMPLE', date_of_birth: '1988-03-01' };
    const media = new Map<string, DemoMedia>(s.media instanceof Map ? s.media : Object.entries(s.media));
    media.set(PRINTED_FIELDS, { contentType: 'application/json', bytes: Buffer.from(JSON.stringify(printed)) });
    return { ...s, session, media };
  });
}

let dataDir: string;
let h: ReturnType<typeof handlerHarness>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idv-open-once-'));
  h = handlerHarness(dataDir, { demoServer: { sessions: demoWithCorrectedFields() } });
  await h.ok('startDemo', {});
  for (const sessionId of [approvedPassport, rejectedIdCard, edgeCases]) await h.ok('fetchSession', { sessionId });
});

afterAll(async () => {
  await h.services.close();
  await rm(dataDir, { recursive: true, force: true });
});

const evidence = (sid: string, name = ''): string => join(dataDir, 'evidence', sid, name);
const mediaFiles = async (sid: string): Promise<string[]> => (await readdir(evidence(sid))).filter((n) => n.startsWith('media-')).sort();
const mediaIdOf = (file: string): string => file.slice('media-'.length, -'.idvc'.length);
const changedOutside = (problems: string[]): string[] => problems.filter((p) => p.startsWith('Changed outside the app: '));

describe('openSession reads each stored item once', () => {
  test.each([
    ['a session with document fields', approvedPassport],
    ['a session whose text data check corrected the fields (read ahead for the summary)', edgeCases],
  ])('%s: every media file and the session file decrypted once, and the view is clean', async (_, sid) => {
    const store = await h.services.store();
    const corrected = correctedDocuments(parseSession((await store.loadSession(sid))!.body).session);
    expect(corrected.length).toBe(sid === edgeCases ? 1 : 0);
    await h.ok('openSession', { sessionId: sid }); // the seen-before index is brought up to date once, here
    const loadMedia = vi.spyOn(store, 'loadMedia');
    const loadSession = vi.spyOn(store, 'loadSession');
    try {
      const view = await h.ok('openSession', { sessionId: sid });
      expect(view.cacheProblems).toEqual([]);
      if (sid === edgeCases) expect(JSON.stringify(view.summary.warnings)).toContain('1988-03-01');
      const loaded = loadMedia.mock.calls.map(([s, m]) => `${s}/${m}`).sort();
      expect(loaded).toEqual((await mediaFiles(sid)).map((f) => `${sid}/${mediaIdOf(f)}`));
      expect(loadSession.mock.calls).toEqual([[sid]]);
    } finally {
      loadMedia.mockRestore();
      loadSession.mockRestore();
    }
  });
});

const EXPORT = { appVersion: 'test', online: false, faceMatchThreshold: 0.7 };

describe('the export reads each stored item once', () => {
  test('every media file and the session file decrypted once; the manifest printed is the one stored', async () => {
    const offline = await h.services.offline();
    const sid = approvedPassport;
    await gatherReportInput(offline, sid, EXPORT);
    const loadMedia = vi.spyOn(offline.sessions, 'loadMedia');
    const loadSession = vi.spyOn(offline.sessions, 'loadSession');
    let manifestHash: string | undefined;
    try {
      const input = await gatherReportInput(offline, sid, EXPORT);
      expect(input.evidenceChanged).toBeUndefined();
      manifestHash = input.evidence.manifestHash;
      const loaded = loadMedia.mock.calls.filter(([s]) => s === sid).map(([s, m]) => `${s}/${m}`).sort();
      expect(loaded).toEqual((await mediaFiles(sid)).map((f) => `${sid}/${mediaIdOf(f)}`));
      expect(loadSession.mock.calls.filter(([s]) => s === sid)).toEqual([[sid]]);
    } finally {
      loadMedia.mockRestore();
      loadSession.mockRestore();
    }
    expect(manifestHash).toBe((await offline.evidenceManifest(sid)).manifest?.manifestHash);
  });
});

/** [what, the change to rejectedIdCard's files before it is opened]. */
const CHANGES: Array<[string, () => Promise<void>]> = [
  ['a bit flipped in a media file', async () => {
    const file = evidence(rejectedIdCard, (await mediaFiles(rejectedIdCard))[0]);
    const bytes = await readFile(file);
    bytes[bytes.length >> 1]! ^= 0x01;
    await writeFile(file, bytes);
  }],
  ['a media file emptied', async () => truncate(evidence(rejectedIdCard, (await mediaFiles(rejectedIdCard))[0]), 0)],
  ['a media file cut short', async () => {
    const file = evidence(rejectedIdCard, (await mediaFiles(rejectedIdCard))[1]);
    await truncate(file, (await readFile(file)).length - 5);
  }],
  ['a byte appended to a media file', async () => appendFile(evidence(rejectedIdCard, (await mediaFiles(rejectedIdCard))[0]), Buffer.from([0]))],
  ['a media file deleted', async () => unlink(evidence(rejectedIdCard, (await mediaFiles(rejectedIdCard))[0]))],
  ['two media files swapped', async () => {
    const [m1, m2] = await mediaFiles(rejectedIdCard);
    await rename(evidence(rejectedIdCard, m1), evidence(rejectedIdCard, 'swap'));
    await rename(evidence(rejectedIdCard, m2), evidence(rejectedIdCard, m1));
    await rename(evidence(rejectedIdCard, 'swap'), evidence(rejectedIdCard, m2));
  }],
  ["another session's media file copied in", async () => {
    const [other] = await mediaFiles(approvedPassport);
    await copyFile(evidence(approvedPassport, other), evidence(rejectedIdCard, other));
  }],
  // Files that decrypt and verify: only the audit log tells that the app did not put them there.
  ['a media item deleted in the app, its file put back from a copy', async () => {
    const [file] = await mediaFiles(rejectedIdCard);
    const copy = await readFile(evidence(rejectedIdCard, file));
    expect(await (await h.services.offline()).deleteMediaLocally(rejectedIdCard, mediaIdOf(file!), 'local-only')).toBe(true);
    await writeFile(evidence(rejectedIdCard, file), copy);
  }],
  ['an item the session does not list, written with the store key behind the app', async () => {
    const store = await h.services.store();
    const fetchedAt = (await store.loadSession(rejectedIdCard))!.meta.fetchedAt;
    await store.saveMedia(rejectedIdCard, 'added00000000000000000000000000000', Buffer.from('{"a":1}'), { mimeType: 'application/json', apiUrl: h.services.demo.status().apiUrl!, fetchedAt });
  }],
];

describe('what changed on disk before the opening is still named', () => {
  test.each(CHANGES)('%s', async (_, change) => {
    const offline = await h.services.offline();
    // A fresh copy: deleted (in the app) and fetched again.
    await offline.deleteSessionLocally(rejectedIdCard, 'local-only');
    await h.ok('fetchSession', { sessionId: rejectedIdCard });
    expect((await h.ok('openSession', { sessionId: rejectedIdCard })).cacheProblems).toEqual([]);

    await change();
    const view = await h.ok('openSession', { sessionId: rejectedIdCard });
    const named = changedOutside(view.cacheProblems);
    expect(named.length).toBeGreaterThan(0);
    expect(view.cacheProblems.slice(0, named.length)).toEqual(named); // named first
    // The same words as the check that decrypts every item itself (the view lists them last first).
    const integrity = await offline.sessionIntegrity(rejectedIdCard);
    expect(named).toEqual(integrity.map((p) => `Changed outside the app: ${p}.`).reverse());
    // The export, reading each item once too, refuses naming the same first problem.
    const refused: unknown = await gatherReportInput(offline, rejectedIdCard, EXPORT).then(() => null, (err: unknown) => err);
    expect(refused).toMatchObject({ code: 'EVIDENCE_CHANGED' });
    const first = integrity[0]!.replace(/\.$/, '');
    expect((refused as Error).message).toContain(`Not exported: ${first.charAt(0).toUpperCase()}${first.slice(1)}.`);
  });
});
