import { createRequire } from 'node:module';
import type { IDVClient as IDVClientType } from 'yoti';
import { sdkMediaIds } from '../../test/support/sdk-media-ids';

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
