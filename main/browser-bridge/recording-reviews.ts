import type { DecisionCheckView, ParsedArgs, ReviewView } from '../../common/ipc/contract';
import type { ReviewsPort } from '../ipc/ports';

/**
 * The reviews port in use (the real one over the offline store, unless a test replaced it), with
 * what it was asked and answered kept for the test to read synchronously: every evidence view it
 * recorded, and the latest review record it returned for each session.
 */
export class RecordingReviews implements ReviewsPort {
  /** recordEvidenceViewed calls that succeeded, in order, as the handler passed them. */
  readonly viewed: Array<ParsedArgs<'recordEvidenceViewed'>> = [];
  /** The latest record returned (get, saveDraft, confirmDecision), by session id. */
  readonly records = new Map<string, ReviewView>();

  constructor(private readonly inner: ReviewsPort) {}

  async get(sessionId: string): Promise<ReviewView> {
    return this.#keep(await this.inner.get(sessionId));
  }

  async saveDraft(input: ParsedArgs<'saveReviewDraft'>): Promise<ReviewView> {
    return this.#keep(await this.inner.saveDraft(input));
  }

  checkDecision(input: ParsedArgs<'checkDecision'>): Promise<DecisionCheckView> {
    return this.inner.checkDecision(input);
  }

  async confirmDecision(input: ParsedArgs<'confirmDecision'>): Promise<ReviewView> {
    return this.#keep(await this.inner.confirmDecision(input));
  }

  async recordEvidenceViewed(input: ParsedArgs<'recordEvidenceViewed'>): Promise<void> {
    await this.inner.recordEvidenceViewed(input);
    this.viewed.push(structuredClone(input));
  }

  markOpened(sessionId: string): Promise<void> {
    return this.inner.markOpened(sessionId);
  }

  listReasonCodes(): ReturnType<ReviewsPort['listReasonCodes']> {
    return this.inner.listReasonCodes();
  }

  #keep(view: ReviewView): ReviewView {
    this.records.set(view.sessionId, structuredClone(view));
    return view;
  }
}
