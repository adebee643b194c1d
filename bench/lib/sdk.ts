import { createRequire } from 'node:module';
import type { IDVClient as IDVClientType } from 'yoti';

/**
 * The official `yoti` SDK used as integrators use it: get the session, walk its model for media ids,
 * then download each media item in turn. The SDK is CommonJS without named ESM exports, so it is
 * loaded with require.
 */
const { IDVClient } = createRequire(import.meta.url)('yoti') as typeof import('yoti');

export type SdkClient = IDVClientType;

export function sdkClient(sdkId: string, pem: string, apiUrl: string): SdkClient {
  return new IDVClient(sdkId, pem, { apiUrl });
}

type SdkSession = Awaited<ReturnType<SdkClient['getSession']>>;

/** Every media id the SDK's parsed model exposes (as test/integration/demo-server-sdk.test.ts walks it). */
export function sdkMediaIds(s: SdkSession): string[] {
  const r = s.getResources();
  const ids: Array<string | undefined> = [];
  for (const d of r.getIdDocuments()) {
    for (const p of d.getPages()) {
      ids.push(p.getMedia()?.getId());
      for (const f of p.getFrames() ?? []) ids.push(f.getMedia()?.getId());
    }
    ids.push(d.getDocumentFields()?.getMedia()?.getId(), d.getDocumentIdPhoto()?.getMedia()?.getId());
  }
  for (const z of r.getZoomLivenessResources()) {
    for (const f of z.getFrames()) ids.push(f.getMedia()?.getId());
    ids.push(z.getFaceMap()?.getMedia()?.getId());
  }
  return [...new Set(ids.filter((x): x is string => typeof x === 'string'))];
}

/** One session with the SDK: session, then each media item in turn. Resolves the media bytes received. */
export async function sdkFetchSession(client: SdkClient, sessionId: string): Promise<{ items: number; bytes: number }> {
  const session = await client.getSession(sessionId);
  let bytes = 0;
  let items = 0;
  for (const mediaId of sdkMediaIds(session)) {
    const media = await client.getMediaContent(sessionId, mediaId);
    if (media) {
      bytes += media.getContent().length;
      items += 1;
    }
  }
  return { items, bytes };
}
