import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { FaultRules } from '../../main/core/demo-server/faults';
import { listMedia } from '../../common/session/media';
import { parseSession } from '../../common/session/parse';
import type { IdvClient } from '../../main/core/yoti/client';

export interface BenchContext {
  /** URL of the running bundle: the server worker is started from it. */
  entry: URL;
  /** Fewer rounds and sessions: a smoke run of the harness, figures not meant for the report. */
  quick: boolean;
  log: (line: string) => void;
  keys: BenchKeys;
}

export interface BenchKeys {
  sdkId: string;
  privateKey: KeyObject;
  /** PKCS#1 PEM, as the SDK takes it. */
  privatePem: string;
  publicPem: string;
}

export function benchKeys(): BenchKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    sdkId: 'b3c4e5f6-0000-4000-8000-0000000be4c7',
    privateKey,
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** 200 Mbit/s. */
export const BANDWIDTH_BYTES_PER_SEC = 25_000_000;

export const faultsFor = (latencyMs: number): FaultRules => ({
  rules: [{ route: '*', latencyMs }],
  globalBandwidthBytesPerSec: BANDWIDTH_BYTES_PER_SEC,
});

/**
 * Lower bound for one session: one round trip for the session, one for all the media at once, plus
 * every byte (session JSON and media) over the shared bandwidth. Loopback adds well under 1 ms.
 */
export const boundMs = (latencyMs: number, bytes: number): number => 2 * latencyMs + (bytes * 1000) / BANDWIDTH_BYTES_PER_SEC;

/** Our client as the app uses it (fetch-session.ts), into memory: session, its media list, every media item. */
export async function ourFetchSession(client: IdvClient, sessionId: string): Promise<{ items: number; bytes: number }> {
  const { body } = await client.getSession(sessionId);
  const { session } = parseSession(body);
  const mediaIds = [...new Set(listMedia(session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];
  const results = await client.fetchAllMedia(sessionId, mediaIds);
  let bytes = 0;
  let items = 0;
  for (const [mediaId, r] of results) {
    if (r.status === 'error') throw new Error(`media ${mediaId} failed: ${r.error.code} ${r.error.message}`);
    if (r.status === 'ok') {
      bytes += r.content.bytes.length;
      items += 1;
    }
  }
  return { items, bytes };
}

export function expectFetched(got: { items: number; bytes: number }, want: { items: number; bytes: number }, what: string): void {
  if (got.items !== want.items || got.bytes !== want.bytes) {
    throw new Error(`${what}: fetched ${got.items} items / ${got.bytes} bytes, expected ${want.items} / ${want.bytes}`);
  }
}
