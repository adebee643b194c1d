import type { MediaView } from '../../../common/ipc/contract';
import type { MediaItem } from '../../../common/session/media';
import { DERIVED_IMAGES, fittedSize, hasScreenCopy } from '../images/derived-sizes';
import { SERVED_MEDIA_TYPES } from '../images/image-type';
import type { MediaMeta } from './session-store';

/** The item as stored, or one of its derived images (images/derived-images.ts). */
export type MediaVariant = 'full' | 'thumbnail' | 'screen';

/** The URL the page loads for a stored item or a derived image of it (the media registry's `urlFor` in the app). */
export type MediaUrl = (sessionId: string, mediaId: string, variant: MediaVariant) => string;

/**
 * A listed item as the page sees it, given what is stored of it (null: nothing, or it did not read):
 * only JPEG and PNG get URLs (threat T3). One way for the opened session and the queue row alike, so
 * the row's opening image is the one the viewer opens on.
 */
export function storedMediaView(sessionId: string, item: MediaItem, meta: MediaMeta | null, url: MediaUrl): MediaView {
  if (meta === null || item.mediaId === undefined) return { ...item };
  if (meta.noContent) return { ...item, stored: { mimeType: null, size: 0, sha256: null, noContent: true, fetchedAt: meta.fetchedAt } };
  const view: MediaView = { ...item, stored: { mimeType: meta.mimeType, size: meta.size, sha256: meta.sha256, noContent: false, fetchedAt: meta.fetchedAt } };
  if (SERVED_MEDIA_TYPES.has(meta.mimeType.toLowerCase())) {
    view.url = url(sessionId, item.mediaId, 'full');
    view.thumbnailUrl = url(sessionId, item.mediaId, 'thumbnail');
    if (meta.pixels !== undefined) {
      view.pixels = { ...meta.pixels };
      if (hasScreenCopy(meta.pixels)) view.screen = { url: url(sessionId, item.mediaId, 'screen'), ...fittedSize(meta.pixels, DERIVED_IMAGES.screen.box) };
    }
  }
  return view;
}
