import * as z from 'zod';
import type { Decision } from './decisions';

/**
 * The rules a final decision must meet, and what it records when the reviewer overrides one. Pure:
 * the review store runs it before every confirmation (the app and the CLI share it), and the app asks
 * for the same check before its confirm step, so the step can say what is missing.
 *
 * A rule is met, or overridden by what the reviewer explicitly gives: a reason for deciding before
 * Yoti has finished, a note for approving over Yoti's result or standing warnings, an acknowledgement
 * of a reason the console's own facts contradict or of evidence not viewed, a reason for changing a
 * final decision. A reviewer name is never optional.
 */

/** What the console knows about the session when the decision is made (decision-facts.ts). */
export interface DecisionFacts {
  /** Yoti's overall result (overall.ts) and its words. */
  yoti: { result: string; text: string };
  /** The session is COMPLETED and every counted check is DONE. */
  yotiFinished: boolean;
  /** reviewStatus(…).text: where the session stands, in one sentence. */
  statusText: string;
  /** The summary's warnings (critical and warning; notices do not block). */
  warnings: Array<{ severity: 'critical' | 'warning'; text: string }>;
  /** Per document with fields: computed from those fields (document-facts.ts). */
  documents: Array<{ label: string; daysToExpiry?: number; ageToday?: number }>;
  /** The evidence a reviewer must have seen in the app: every document page, and one liveness capture. */
  pages: Array<{ mediaId: string; label: string }>;
  livenessCaptures: Array<{ mediaId: string; label: string }>;
  faceMatchThreshold: number;
}

export const OverridesSchema = z
  .object({
    /** Why the decision is made before Yoti has finished. */
    beforeComplete: z.string().max(2000).optional(),
    /** The reviewer read that a chosen reason contradicts what the console computed, and keeps it. */
    acknowledgeContradictions: z.boolean().optional(),
    /** The reviewer confirms without having viewed every page and a liveness capture. */
    acknowledgeUnviewed: z.boolean().optional(),
    /** Why a final decision is changed (required to supersede). */
    changeReason: z.string().max(2000).optional(),
  })
  .strict();
export type DecisionOverrides = z.infer<typeof OverridesSchema>;

/** Team mode: the other reviewer's decision in force in the team database that this one replaces, and why. */
export const DecidedOverSchema = z
  .object({
    reviewer: z.string().max(200),
    decision: z.string().max(40),
    reason: z.string().max(2000),
  })
  .strict();
export type DecidedOver = z.infer<typeof DecidedOverSchema>;

/** Stored in each confirmed version (and printed in the PDF). */
export const DecisionContextSchema = z
  .object({
    /** Where the decision was made: in the app (viewing tracked) or from the command line (not tracked). */
    via: z.enum(['app', 'cli']),
    yotiResult: z.string().max(40),
    yotiResultText: z.string().max(200),
    status: z.string().max(300),
    warnings: z.array(z.object({ severity: z.enum(['critical', 'warning']), text: z.string().max(2000) }).strict()).max(100),
    /** The face-match threshold in force when the decision was made. */
    faceMatchThreshold: z.number().min(0).max(1),
    beforeComplete: z.string().max(2000).optional(),
    /** APPROVE over Yoti's result or standing warnings (the notes say why). */
    overridesYoti: z.boolean().optional(),
    contradictedReasons: z.array(z.object({ code: z.string().max(100), fact: z.string().max(300) }).strict()).max(50).optional(),
    /** Evidence not viewed before confirming (app only), by label. */
    unviewed: z.array(z.string().max(200)).max(500).optional(),
    changeReason: z.string().max(2000).optional(),
    /** Team mode: made over another reviewer's decision in the team database, and why. */
    decidedOver: DecidedOverSchema.optional(),
  })
  .strict();
export type DecisionContext = z.infer<typeof DecisionContextSchema>;

export type GuardrailRule = 'REVIEWER_NAME' | 'CHANGE_REASON' | 'BEFORE_COMPLETE' | 'OVERRIDE_NOTE' | 'CONTRADICTED_REASON' | 'UNVIEWED_EVIDENCE';

export interface UnmetRule {
  rule: GuardrailRule;
  /** One sentence: what is missing and how to give it (app and CLI words). */
  text: string;
}

export interface GuardrailInput {
  decision: Decision;
  reasonCodes: readonly string[];
  notes: string;
  facts: DecisionFacts;
  /** Media ids viewed in the app; null from the command line, where viewing is not tracked. */
  viewedMediaIds: ReadonlySet<string> | null;
  superseding: boolean;
  reviewerName: string | null;
  overrides: DecisionOverrides;
}

export interface GuardrailOutcome {
  /** Empty when the decision may be confirmed. */
  unmet: UnmetRule[];
  /** What the version records (the overrides given, the facts it was decided against). */
  context: DecisionContext;
}

/** The minimum age the console checks an UNDERAGE reason against. */
export const ADULT_AGE = 18;

const EXPIRY_REASONS: ReadonlySet<string> = new Set(['DOCUMENT_EXPIRED', 'EXPIRED_DOCUMENT']);
const UNDERAGE_REASONS: ReadonlySet<string> = new Set(['UNDERAGE']);

const given = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Reasons the console's own facts contradict: "expired" on documents all in date, "underage" on an adult. */
export function contradictedReasons(reasonCodes: readonly string[], facts: DecisionFacts): Array<{ code: string; fact: string }> {
  const out: Array<{ code: string; fact: string }> = [];
  const expiries = facts.documents.filter((d) => d.daysToExpiry !== undefined);
  const ages = facts.documents.filter((d) => d.ageToday !== undefined);
  for (const code of reasonCodes) {
    if (EXPIRY_REASONS.has(code) && expiries.length > 0 && expiries.every((d) => (d.daysToExpiry ?? -1) >= 0)) {
      out.push({ code, fact: `${expiries.map((d) => d.label).join(', ')} ${expiries.length === 1 ? 'is' : 'are'} in date by its printed expiry date` });
    }
    if (UNDERAGE_REASONS.has(code) && ages.length > 0 && ages.every((d) => (d.ageToday ?? 0) >= ADULT_AGE)) {
      const youngest = Math.min(...ages.map((d) => d.ageToday ?? 0));
      out.push({ code, fact: `the date of birth on the document makes the person ${youngest} today (${ADULT_AGE} or over)` });
    }
  }
  return out;
}

/** The evidence not viewed in the app: pages not opened, and the liveness captures when none was. */
export function unviewedEvidence(facts: DecisionFacts, viewed: ReadonlySet<string>): string[] {
  const pages = facts.pages.filter((p) => !viewed.has(p.mediaId)).map((p) => p.label);
  const anyLiveness = facts.livenessCaptures.some((l) => viewed.has(l.mediaId));
  const liveness = facts.livenessCaptures.length > 0 && !anyLiveness ? [`any liveness capture (${plural(facts.livenessCaptures.length, 'capture')})`] : [];
  return [...pages, ...liveness];
}

export function checkGuardrails(input: GuardrailInput): GuardrailOutcome {
  const { facts, overrides } = input;
  const unmet: UnmetRule[] = [];
  const context: DecisionContext = {
    via: input.viewedMediaIds === null ? 'cli' : 'app',
    yotiResult: facts.yoti.result,
    yotiResultText: facts.yoti.text,
    status: facts.statusText,
    warnings: facts.warnings.slice(0, 100),
    faceMatchThreshold: facts.faceMatchThreshold,
  };

  if (given(input.reviewerName ?? undefined) === undefined) {
    unmet.push({ rule: 'REVIEWER_NAME', text: 'A final decision needs the reviewer\'s name: set "Your name" (CLI: --reviewer NAME, or the reviewer name in the settings).' });
  }

  if (input.superseding) {
    const why = given(overrides.changeReason);
    if (why === undefined) unmet.push({ rule: 'CHANGE_REASON', text: 'Changing a final decision needs the reason for the change (CLI: --supersede "why").' });
    else context.changeReason = why;
  }

  if (!facts.yotiFinished) {
    const why = given(overrides.beforeComplete);
    if (why === undefined) {
      unmet.push({
        rule: 'BEFORE_COMPLETE',
        text: `Yoti has not finished this session (${facts.statusText.replace(/\.$/, '')}): deciding now needs the reason why (CLI: --before-complete "why").`,
      });
    } else context.beforeComplete = why;
  }

  if (input.decision === 'APPROVE' && (facts.yoti.result !== 'APPROVE' || facts.warnings.length > 0)) {
    const against = [
      facts.yoti.result !== 'APPROVE' ? `Yoti's result (${facts.yoti.text})` : '',
      facts.warnings.length > 0 ? `${plural(facts.warnings.length, 'standing warning')}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    if (input.notes.trim() === '') {
      unmet.push({ rule: 'OVERRIDE_NOTE', text: `Approving against ${against} needs a note saying why you override (CLI: --note "why").` });
    } else context.overridesYoti = true;
  }

  const contradicted = contradictedReasons(input.reasonCodes, facts);
  if (contradicted.length > 0) {
    if (overrides.acknowledgeContradictions !== true) {
      unmet.push({
        rule: 'CONTRADICTED_REASON',
        text: `${contradicted.map((c) => `Reason ${c.code} is contradicted: ${c.fact}`).join('; ')}. Acknowledge it to keep the reason (CLI: --acknowledge-contradiction).`,
      });
    } else context.contradictedReasons = contradicted;
  }

  if (input.viewedMediaIds !== null) {
    const unviewed = unviewedEvidence(facts, input.viewedMediaIds);
    if (unviewed.length > 0) {
      if (overrides.acknowledgeUnviewed !== true) {
        unmet.push({ rule: 'UNVIEWED_EVIDENCE', text: `Not viewed yet: ${unviewed.join(', ')}. View it, or acknowledge deciding without viewing it.` });
      } else context.unviewed = unviewed;
    }
  }

  return { unmet, context };
}

/** The decision context in words, one line each: for `show`, `decide` and the PDF. */
export function decisionContextLines(context: DecisionContext | undefined): string[] {
  if (context === undefined) return [];
  const warnings = context.warnings.length === 0 ? 'no warnings' : plural(context.warnings.length, 'warning');
  const lines = [
    context.via === 'cli' ? 'Made from the command line, where viewing is not tracked.' : 'Made in the app.',
    `Yoti's result at the time: ${context.yotiResultText}; ${warnings}. Face-match threshold in force: ${context.faceMatchThreshold.toFixed(2)}.`,
  ];
  if (context.beforeComplete !== undefined) lines.push(`Decided before Yoti had finished (${context.status.replace(/\.$/, '')}). Why: ${context.beforeComplete}`);
  if (context.overridesYoti === true) lines.push("Approved over Yoti's result or its warnings: the notes say why.");
  for (const c of context.contradictedReasons ?? []) lines.push(`Reason ${c.code} kept although ${c.fact} (acknowledged).`);
  if (context.unviewed !== undefined) lines.push(`Decided without viewing: ${context.unviewed.join(', ')} (acknowledged).`);
  if (context.changeReason !== undefined) lines.push(`Reason for the change: ${context.changeReason}`);
  const over = context.decidedOver;
  if (over !== undefined) lines.push(`Decided over ${over.reviewer}'s ${over.decision} in the team database. Why: ${over.reason}`);
  return lines;
}
