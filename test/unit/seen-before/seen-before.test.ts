import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore } from '../../../main/core/store/offline-store';
import { identityValues, keyedHash, normaliseDate, normaliseName } from '../../../main/core/seen-before/normalise';
import { fetchInto, openStore, randomKeys, removeDir, startDemo, tempDir, type Demo } from '../review/support';

describe('normalising identity values', () => {
  test('names: case, accents, spaces, hyphens, apostrophes; Greek and German fold', () => {
    expect(normaliseName("  o'Brien-Smith ")).toBe('OBRIENSMITH');
    expect(normaliseName('Ødegård')).toBe('ØDEGARD');
    expect(normaliseName('Zoë')).toBe('ZOE');
    expect(normaliseName('Παπαδοπούλου')).toBe('ΠΑΠΑΔΟΠΟΥΛΟΥ');
    expect(normaliseName('Straße')).toBe('STRASSE');
  });

  test('dates and document values', () => {
    expect(normaliseDate('1974-08-12')).toBe('1974-08-12');
    expect(normaliseDate('1974/08/12')).toBe('1974-08-12');
    expect(normaliseDate('19740812')).toBe('1974-08-12');
    expect(normaliseDate('1974-08-12T00:00:00Z')).toBe('1974-08-12');
    expect(normaliseDate('12.08.1974')).toBeNull();
    expect(normaliseDate('1974-13-01')).toBeNull();
    expect(identityValues({ issuing_country: 'uto', document_number: 'l898 902-c3', family_name: 'Eriksson', date_of_birth: '1974-08-12' })).toEqual({
      document: 'doc|UTO|L898902C3',
      person: 'person|ERIKSSON|1974-08-12',
    });
    expect(identityValues({ document_number: 'X1' }, 'GBR').document).toBe('doc|GBR|X1');
    expect(identityValues({ document_number: 'X1' })).toEqual({ document: null, person: null });
    expect(identityValues(null)).toEqual({ document: null, person: null });
  });

  test('keyed hashes: same value, same key, same hash; another key, another hash', () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    expect(keyedHash(k1, 'doc|UTO|X')).toBe(keyedHash(k1, 'doc|UTO|X'));
    expect(keyedHash(k1, 'doc|UTO|X')).not.toBe(keyedHash(k2, 'doc|UTO|X'));
    expect(keyedHash(k1, 'doc|UTO|X')).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('seen before across cached sessions', () => {
  let demo: Demo;
  let dir: string;
  let store: OfflineStore;
  const { approvedPassport: A, rejectedIdCard: R, edgeCases: E, nonLatin: G, ongoing: O } = DEMO_SESSION_IDS;
  beforeAll(async () => {
    demo = await startDemo();
    dir = await tempDir('idv-seen-');
    store = await openStore(dir, randomKeys());
    for (const id of [A, R, E, G, O]) await fetchInto(store, demo, id);
  });
  afterAll(async () => {
    await demo.close();
    await removeDir(dir);
  });

  test('the same person (family name + date of birth) on two documents, with the decision taken', async () => {
    await store.reviews.confirmDecision(R, { via: 'cli', decision: 'REJECT', reasonCodes: ['DOCUMENT_EXPIRED'] });
    const rows = await store.seenBefore(A);
    expect(rows).toEqual([expect.objectContaining({ sessionId: R, match: 'SAME_PERSON', matches: ['SAME_PERSON'], decision: 'REJECT' })]);
    expect((await store.seenBefore(R)).map((r) => r.sessionId)).toEqual([A]);
    expect(await store.seenBefore(G)).toEqual([]);
    expect(await store.seenBefore(E)).toEqual([]);
  });

  test('the same document is found (and wins over the same person); the index is kept up to date with the cache', async () => {
    // A second copy of the approved passport under another session id.
    const copy = 'de3c0a11-5e55-4a0d-8e11-0000000000aa';
    const source = (await import('../../../main/core/demo-server/demo-sessions')).createDemoSessions()[0]!;
    demo.server.addSession({ ...source, sessionId: copy, session: { ...source.session, session_id: copy } });
    await fetchInto(store, demo, copy);
    const rows = await store.seenBefore(A);
    expect(rows.find((r) => r.sessionId === copy)).toMatchObject({ match: 'SAME_DOCUMENT', matches: ['SAME_DOCUMENT', 'SAME_PERSON'] });
    await store.deleteSessionLocally(copy, 'local-only');
    expect((await store.seenBefore(A)).map((r) => r.sessionId)).toEqual([R]);
  });

  test('no plaintext in the index file; a damaged index is rebuilt', async () => {
    const path = join(dir, 'seen-before', 'index.idvr');
    const bytes = await readFile(path);
    for (const needle of ['ERIKSSON', 'Eriksson', 'L898902C3', '1974-08-12', 'UTO', A]) expect(bytes.includes(Buffer.from(needle))).toBe(false);
    await writeFile(path, 'garbage');
    expect((await store.seenBefore(A)).map((r) => r.sessionId)).toEqual([R]);
    expect((await readFile(path)).length).toBeGreaterThan(100);
  });
});
