import type { LoadedMedia, MediaMeta, SessionStore } from './session-store';

/**
 * One call's reads of a session's media (the app opening it, `show`, an export): each item is read,
 * decrypted and checked once, and the metadata of what verified is kept for the same call's integrity
 * check (audit/verify.ts VerifiedEvidence), which then does not decrypt it again. Only what is read
 * ahead of the walk over every item (the summary's document fields) is kept whole, so the walk holds
 * one item at a time however large the session.
 */
export class MediaReads {
  /** The metadata of every item read and verified so far, by media id. */
  readonly verified = new Map<string, MediaMeta>();
  private readonly ahead = new Map<string, Promise<LoadedMedia | null>>();

  constructor(
    private readonly store: Pick<SessionStore, 'loadMedia'>,
    readonly sessionId: string,
  ) {}

  /** SessionStore.loadMedia for a reader ahead of the walk: the answer is kept for `item`. */
  readonly loadMedia = (sessionId: string, mediaId: string): Promise<LoadedMedia | null> => {
    if (sessionId !== this.sessionId) throw new RangeError(`these reads are of session ${this.sessionId}`);
    let read = this.ahead.get(mediaId);
    if (read === undefined) this.ahead.set(mediaId, (read = this.read(mediaId)));
    return read;
  };

  /** One item of the walk: as read ahead, else read now and not kept. */
  item(mediaId: string): Promise<LoadedMedia | null> {
    return this.ahead.get(mediaId) ?? this.read(mediaId);
  }

  private async read(mediaId: string): Promise<LoadedMedia | null> {
    const loaded = await this.store.loadMedia(this.sessionId, mediaId);
    if (loaded !== null) this.verified.set(mediaId, loaded.meta);
    return loaded;
  }
}
