import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { listMedia } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import { isDamaged } from '../../../main/core/store/session-store';
import { allFiles, fetchInto, openStore, randomKeys, readAll, removeDir, startDemo, tempDir, type Demo } from '../review/support';

/*
 * Threat model T1: nothing personal in clear anywhere under the data folder. The five demo sessions
 * are fetched, reviewed (with notes that repeat the PII, as reviewers do), viewed, decided, looked
 * up for seen-before, and one is deleted; then every byte of every file is searched for the fixtures'
 * names, numbers, dates of birth, JSON field names and slices of every image and JSON media item.
 */
let demo: Demo;
let dir: string;
beforeAll(async () => {
  demo = await startDemo();
  dir = await tempDir('idv-nopii-');
});
afterAll(async () => {
  await demo.close();
  await removeDir(dir);
});

const PII = [
  'ERIKSSON', 'Eriksson', 'ANNA MARIA', 'Anna Maria', 'ANNA<MARIA', 'L898902C3', 'ZE184226B', 'D23145890', '1974-08-12', '740812',
  'ΠΑΠΑΔΟΠΟΥΛΟΥ', 'Παπαδοπούλου', 'PAPADOPOULOU', 'Ελένη', 'ELENI', 'GR0000042', '1990-11-03', 'SAMPL803018RS9AB', 'ROBIN ALEX', '1988-03-01',
  'Zenith', 'full_name', 'family_name', 'document_number', 'date_of_birth',
];

test('fetch, review, decide, seen-before, delete: no name, number, date of birth or image bytes in clear under the data folder', async () => {
  const store = await openStore(dir, randomKeys());
  const needles: Array<{ what: string; bytes: Buffer }> = PII.flatMap((s) => [
    { what: s, bytes: Buffer.from(s, 'utf8') },
    { what: `${s} (lower case)`, bytes: Buffer.from(s.toLowerCase(), 'utf8') },
  ]);
  for (const sid of Object.values(DEMO_SESSION_IDS)) {
    await fetchInto(store, demo, sid);
    const body = (await store.sessions.loadSession(sid))!.body;
    for (const m of listMedia(parseSession(body).session)) {
      if (!m.mediaId || !m.fetchable) continue;
      const served = demo.server.getMedia(sid, m.mediaId);
      if (!served || !('bytes' in served) || served.bytes.length < 300) continue;
      const bytes = Buffer.from(served.bytes);
      needles.push({ what: `bytes 200-264 of media ${m.mediaId} (${served.contentType})`, bytes: bytes.subarray(200, 264) });
      needles.push({ what: `last 64 bytes of media ${m.mediaId}`, bytes: bytes.subarray(bytes.length - 64) });
    }
    needles.push({ what: `bytes 100-164 of session ${sid}`, bytes: body.subarray(100, 164) });
  }
  const A = DEMO_SESSION_IDS.approvedPassport;
  await store.reviews.markOpened(A);
  for (const m of (await store.sessions.listMedia(A)).filter((x) => !isDamaged(x))) {
    await store.reviews.recordEvidenceViewed(A, { mediaId: m.mediaId!, tools: { zoom: true, compare: true } });
  }
  await store.reviews.saveDraft(A, { notes: 'ERIKSSON, Anna Maria, L898902C3, born 1974-08-12: matches the MRZ' });
  await store.reviews.confirmDecision(A, {
    via: 'app',
    decision: 'APPROVE',
    checkVerdicts: [{ checkId: 'c1', verdict: 'OVERRIDE', note: 'date_of_birth 1974-08-12 read correctly' }],
  });
  const G = DEMO_SESSION_IDS.nonLatin;
  await store.reviews.confirmDecision(G, { via: 'cli', decision: 'ESCALATE', reasonCodes: ['NEEDS_SECOND_OPINION'], notes: 'ΠΑΠΑΔΟΠΟΥΛΟΥ Ελένη GR0000042' });
  expect((await store.seenBefore(A)).length).toBe(1);
  await store.setRetainUntil(A, '2031-01-01T23:59:59.999Z');
  await store.deleteSessionLocally(DEMO_SESSION_IDS.edgeCases, 'local-only');
  await store.recordAudit('report.exported', A, { sha256: 'f'.repeat(64), pages: 4 });
  expect((await store.verify()).ok).toBe(true);

  const files = await readAll(dir);
  expect([...files.keys()].map((f) => f.slice(dir.length))).toEqual(
    expect.arrayContaining(['/audit/log.jsonl', '/audit/head.json', '/seen-before/index.idvr', `/records/${A}/v-00000001.idvr`, `/evidence/${A}/retention.idvr`]),
  );
  expect(files.size).toBeGreaterThan(40);
  const found: string[] = [];
  for (const [file, bytes] of files) {
    for (const n of needles) if (bytes.includes(n.bytes)) found.push(`${n.what} in ${file.slice(dir.length)}`);
  }
  expect(found).toEqual([]);
  // Sanity: the search does find them in the data they came from.
  const notes = (await store.reviews.get(A)).versions[0]!.notes;
  expect(Buffer.from(notes).includes(Buffer.from('L898902C3'))).toBe(true);
  expect((await allFiles(dir)).every((f) => !f.endsWith('.tmp'))).toBe(true);
});
