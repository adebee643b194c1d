import { createHash } from 'node:crypto';
import { UsageError } from '../../main/core/errors';
import type { AuditVerifyResult, ReasonOption, ReviewView } from '../../main/ipc/contract';
import type {
  AuditEntryInput,
  AuditPort,
  ConfirmDecisionInput,
  EvidenceViewedInput,
  ReportFile,
  ReportsPort,
  ReviewDraftInput,
  ReviewsPort,
  Stamp,
} from '../../main/ipc/ports';

/**
 * Simple in-memory stand-ins for the reviews, audit and reports ports, for handler tests and for the
 * test bridge until the real modules (main/core/{review,audit,report}) are wired. They keep the
 * rules the UI depends on (a confirmed decision is changed only with `supersede`, history newest
 * first) and nothing else.
 */
export const MEMORY_REASONS: ReasonOption[] = [
  { code: 'DOCUMENT_EXPIRED', text: 'The document has expired', source: 'reviewer' },
  { code: 'FACE_MISMATCH', text: 'The face does not match the document portrait', source: 'reviewer' },
  { code: 'SUSPECTED_TAMPERING', text: 'The document appears to have been tampered with', source: 'reviewer' },
  { code: 'TAMPERED', text: 'The photo seems to be tampered with', source: 'yoti' },
];

export class MemoryReviews implements ReviewsPort {
  readonly records = new Map<string, ReviewView>();
  readonly viewed: EvidenceViewedInput[] = [];
  readonly opened: Array<{ sessionId: string } & Stamp> = [];
  #version = 0;

  get(sessionId: string): Promise<ReviewView> {
    const found = this.records.get(sessionId);
    return Promise.resolve(found ? structuredClone(found) : { sessionId, status: 'NONE', reasonCodes: [], notes: '', checkVerdicts: [], history: [] });
  }

  async saveDraft(input: ReviewDraftInput): Promise<ReviewView> {
    const current = await this.get(input.sessionId);
    if (current.status === 'CONFIRMED') {
      throw new UsageError('DECISION_CONFIRMED', `Session ${input.sessionId} already has a confirmed decision; record a new one to change it.`);
    }
    return this.#save(current, input, 'DRAFT');
  }

  async confirmDecision(input: ConfirmDecisionInput): Promise<ReviewView> {
    const current = await this.get(input.sessionId);
    if (current.status === 'CONFIRMED' && !input.supersede) {
      throw new UsageError('DECISION_CONFIRMED', `Session ${input.sessionId} already has a confirmed decision; confirm with "supersede" to record a new version.`);
    }
    return this.#save(current, input, 'CONFIRMED');
  }

  recordEvidenceViewed(input: EvidenceViewedInput): Promise<void> {
    this.viewed.push(input);
    return Promise.resolve();
  }

  async markOpened(sessionId: string, stamp: Stamp): Promise<void> {
    this.opened.push({ sessionId, ...stamp });
    const current = await this.get(sessionId);
    if (current.firstOpenedAt === undefined) this.records.set(sessionId, { ...current, firstOpenedAt: stamp.at });
  }

  listReasonCodes(): Promise<ReasonOption[]> {
    return Promise.resolve(structuredClone(MEMORY_REASONS));
  }

  #save(current: ReviewView, input: (ReviewDraftInput | ConfirmDecisionInput) & Stamp, status: 'DRAFT' | 'CONFIRMED'): ReviewView {
    const versionId = `v${++this.#version}`;
    const history = current.versionId && current.status !== 'NONE'
      ? [{ versionId: current.versionId, status: current.status, decision: current.decision, savedAt: current.savedAt ?? input.at }, ...current.history]
      : current.history;
    const next: ReviewView = {
      sessionId: input.sessionId,
      versionId,
      status,
      reasonCodes: [...input.reasonCodes],
      notes: input.notes,
      checkVerdicts: input.checkVerdicts.map((v) => ({ ...v })),
      reviewer: { ...input.actor },
      firstOpenedAt: current.firstOpenedAt,
      savedAt: input.at,
      history,
    };
    if ('decision' in input) {
      next.decision = input.decision;
      next.decidedAt = input.at;
    }
    this.records.set(input.sessionId, next);
    return structuredClone(next);
  }
}

export class MemoryAudit implements AuditPort {
  readonly entries: AuditEntryInput[] = [];
  append(entry: AuditEntryInput): Promise<void> {
    this.entries.push(structuredClone(entry));
    return Promise.resolve();
  }
  verify(): Promise<AuditVerifyResult> {
    return Promise.resolve({ ok: true, entries: this.entries.length });
  }
}

/** A fake "PDF": recognisable bytes, one page, DRAFT unless the memory reviews say CONFIRMED. */
export class MemoryReports implements ReportsPort {
  constructor(private readonly reviews?: MemoryReviews) {}
  async export(sessionId: string, redact: boolean): Promise<ReportFile> {
    const review = this.reviews ? await this.reviews.get(sessionId) : undefined;
    const bytes = Buffer.from(`%PDF-1.7\n% test report for ${sessionId} (redact=${String(redact)})\n%%EOF\n`);
    return {
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      pages: 1,
      draft: review?.status !== 'CONFIRMED',
      suggestedName: `review-${sessionId}.pdf`,
    };
  }
}
