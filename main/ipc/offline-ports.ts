import { generateReport } from '../core/report/export';
import { confirmDecision, sendOutbox } from '../core/team/team-decision';
import type { TeamService } from '../core/team/team-service';
import { currentReview, gatherReportInput, sessionFieldValues } from '../core/report/gather';
import { maskedJson } from '../core/report/redaction';
import type { CachedSessionRow, OfflineStore, SeenBeforeRow } from '../core/store/offline-store';
import type { DecisionRequest, ReviewRecord } from '../core/review/review-store';
import { maxSessionMediaBytes } from '../core/settings';
import { fetchSessionToStore } from '../core/sync/fetch-session';
import type { ParsedArgs, ReviewView, SeenBeforeView } from '../../common/ipc/contract';
import type { Clock, LocalCopiesPort, Services, SettingsPort, StoredRow } from './ports';
import { notCached } from './session-view';

/**
 * The stores' ports over the offline store (main/core/store/offline-store.ts): review records,
 * the audit log, the PDF report, seen before, fetching and the local copies. Every change is one
 * locked, audited step of the store, so `idv-review audit verify` accounts for everything the app
 * did. The store's own shapes are mapped here to the contract's DTOs.
 */
export interface OfflinePortsDeps {
  /** The offline store in force (opened with the reviewer, retention and reasons of the settings). */
  offline: () => Promise<OfflineStore>;
  /** Team mode's service (loaded on first use). */
  team: () => Promise<TeamService>;
  settings: SettingsPort;
  clock: Clock;
  appVersion: string;
  /** Whether the configured API answers now (the report says when it was made without a connection to Yoti). */
  online: () => Promise<boolean>;
  /** The report fonts folder (default: assets/fonts above the code). */
  reportFontsDir?: string;
}

export type OfflinePorts = Pick<Services, 'reviews' | 'audit' | 'reports' | 'seenBefore' | 'sync' | 'local' | 'team'>;

export function offlinePorts(deps: OfflinePortsDeps): OfflinePorts {
  const { offline, clock } = deps;
  const review = async (sessionId: string): Promise<ReviewView> => reviewView(await (await offline()).reviews.get(sessionId));
  // In team mode once joined (settings.team), else null: the decision stays on this workstation.
  const joinedTeam = async () => ((await deps.settings.load()).team === undefined ? null : deps.team());
  return {
    reviews: {
      get: review,
      async saveDraft(a) {
        await (await offline()).reviews.saveDraft(a.sessionId, { decision: a.decision, reasonCodes: a.reasonCodes, notes: a.notes, checkVerdicts: a.checkVerdicts });
        return review(a.sessionId);
      },
      async checkDecision(a) {
        return (await offline()).reviews.checkDecision(a.sessionId, appDecision(a));
      },
      async confirmDecision(a) {
        const { version, sent } = await confirmDecision(await offline(), await joinedTeam(), a.sessionId, appDecision(a));
        const mine = sent?.submitted.find((s) => s.item.versionId === version.versionId);
        const view = await review(a.sessionId);
        return sent === null ? view : { ...view, team: { sent: mine !== undefined, awaitingCountersign: mine?.requiresCountersign ?? false, conflict: (mine?.conflictsWith ?? null) !== null } };
      },
      async recordEvidenceViewed(a) {
        await (await offline()).reviews.recordEvidenceViewed(a.sessionId, { mediaId: a.mediaId, tools: a.tools });
      },
      async markOpened(sessionId) {
        await (await offline()).reviews.markOpened(sessionId);
      },
      async listReasonCodes() {
        return (await offline()).reasons.reasons.map((r) => ({
          code: r.code,
          label: r.label,
          text: r.text,
          category: r.category,
          kind: r.kind,
          source: r.source,
          aliases: [...r.aliases],
        }));
      },
    },

    audit: {
      async append(e) {
        await (await offline()).recordAudit(e.action, e.sessionId ?? null, { ...e.details });
      },
      async verify() {
        const report = await (await offline()).verify();
        return report.firstProblem === undefined ? { ok: report.ok, entries: report.entries } : { ok: report.ok, entries: report.entries, firstProblem: report.firstProblem };
      },
    },

    reports: {
      async export(sessionId, redact) {
        const input = await gatherReportInput(await offline(), sessionId, {
          appVersion: deps.appVersion,
          online: await deps.online(),
          faceMatchThreshold: (await deps.settings.load()).faceMatchThreshold,
          redact,
        });
        const made = await generateReport(input, { redact, now: clock.now(), fontsDir: deps.reportFontsDir });
        return {
          reportId: input.report.reportId,
          bytes: made.pdf,
          sha256: made.sha256,
          pages: made.pages,
          draft: made.draft,
          auditData: made.auditData,
          suggestedName: `review-${sessionId}${made.draft ? '-draft' : ''}${redact === 'none' ? '' : `-redacted-${redact}`}.pdf`,
        };
      },
    },

    seenBefore: {
      async find(sessionId) {
        return (await (await offline()).seenBefore(sessionId)).map(seenBeforeView);
      },
      async all() {
        return new Map([...(await (await offline()).seenBeforeAll())].map(([sid, rows]) => [sid, rows.map(seenBeforeView)]));
      },
    },

    sync: {
      async fetch(r) {
        const outcome = await fetchSessionToStore({
          client: r.client,
          store: await offline(),
          sessionId: r.sessionId,
          sdkId: r.sdkId,
          apiUrl: r.apiUrl,
          force: r.force,
          maxMediaBytes: maxSessionMediaBytes(await deps.settings.load()),
          now: () => clock.now(),
          onProgress: r.onProgress,
        });
        return {
          state: outcome.state,
          mediaTotal: outcome.mediaTotal,
          mediaSaved: outcome.mediaSaved,
          mediaNoContent: outcome.mediaNoContent,
          mediaFailed: outcome.mediaFailed,
          keptCached: outcome.keptCached === true,
        };
      },
    },

    local: offlineLocalCopies(offline),

    team: {
      service: deps.team,
      sendOutbox: async () => sendOutbox(await offline(), await deps.team()),
    },
  };
}

function seenBeforeView(m: SeenBeforeRow): SeenBeforeView {
  return { sessionId: m.sessionId, match: m.match, fetchedAt: m.fetchedAt, decision: m.decision };
}

/** A decision made in the app: what was viewed there is checked. */
function appDecision(a: ParsedArgs<'confirmDecision'>): DecisionRequest {
  return {
    decision: a.decision,
    reasonCodes: a.reasonCodes,
    notes: a.notes,
    checkVerdicts: a.checkVerdicts,
    supersede: a.supersede === true,
    via: 'app',
    overrides: a.overrides ?? {},
    ...(a.activeMs === undefined ? {} : { activeMs: a.activeMs }),
  };
}

function offlineLocalCopies(offline: () => Promise<OfflineStore>): LocalCopiesPort {
  return {
    async list(now, opts) {
      return (await (await offline()).listCachedSessions(opts)).map((row) => storedRow(row, now));
    },
    async deleteSession(sessionId, scope) {
      return (await offline()).deleteSessionLocally(sessionId, scope);
    },
    async deleteMedia(sessionId, mediaId, scope) {
      return (await offline()).deleteMediaLocally(sessionId, mediaId, scope);
    },
    async retainUntil(sessionId) {
      return (await (await offline()).retention(sessionId))?.retainUntil;
    },
    async integrity(sessionId, verified) {
      return (await offline()).sessionIntegrity(sessionId, verified);
    },
    async evidenceDeletion(sessionId) {
      return (await offline()).evidenceDeletion(sessionId);
    },
    async deletedEvidence(sessionId, decidedOn) {
      return (await offline()).deletedEvidence(sessionId, decidedOn);
    },
    async recordKeptUntil(sessionId) {
      const store = await offline();
      const record = await store.reviews.get(sessionId);
      return record.versions.length === 0 ? null : store.recordKeptUntil(record);
    },
    async deleteRecord(sessionId) {
      return (await offline()).deleteRecord(sessionId);
    },
    async sessionJson(sessionId, reveal) {
      const store = await offline();
      const loaded = await store.sessions.loadSession(sessionId);
      if (loaded === null) throw notCached(sessionId);
      const parsed: unknown = JSON.parse(loaded.body.toString('utf8'));
      const shown = reveal ? { json: parsed, masked: 0 } : maskedJson(parsed, await sessionFieldValues(store, sessionId));
      return {
        text: JSON.stringify(shown.json, null, 2),
        masked: shown.masked,
        revealed: reveal,
        size: loaded.body.length,
        sha256: loaded.meta.sha256,
        fetchedAt: loaded.meta.fetchedAt,
      };
    },
  };
}

/** A cached session's queue columns; the token time left is counted from the fetch to `now`. */
export function storedRow(r: CachedSessionRow, now: Date): StoredRow {
  const row: StoredRow = {
    sessionId: r.sessionId,
    state: r.state,
    overall: r.overall,
    yoti: r.yoti,
    decision: r.decision,
    decidedAt: r.decidedAt,
    decidedBy: r.decidedBy,
    created: r.created,
    userTrackingId: r.userTrackingId,
    document: r.document,
    warnings: r.warnings,
    cache: r.cache,
    fetchedAt: r.fetchedAt,
    retainUntil: r.retainUntil,
  };
  if (r.evidenceDeleted !== undefined) row.evidenceDeleted = r.evidenceDeleted;
  if (r.openingImageUrl !== undefined) row.openingImageUrl = r.openingImageUrl;
  if (r.tokenTtlSeconds !== undefined && r.fetchedAt !== undefined) {
    const elapsed = Math.max(0, Math.floor((now.getTime() - Date.parse(r.fetchedAt)) / 1000));
    row.tokenTtlSeconds = Math.max(0, r.tokenTtlSeconds - elapsed);
  }
  return row;
}

/**
 * The review record as the review screen shows it: the latest version (status NONE when there is
 * none), and the earlier versions newest first. A damaged latest version is an error in words: it is
 * never replaced by an older one as if it were current.
 */
export function reviewView(record: ReviewRecord): ReviewView {
  const v = currentReview(record);
  const history = record.versions
    .filter((x) => x !== v)
    .reverse()
    .map((x) => ({ versionId: x.versionId, status: x.status, decision: x.decision ?? undefined, savedAt: x.savedAt }));
  if (v === null) {
    return { sessionId: record.sessionId, status: 'NONE', reasonCodes: [], notes: '', checkVerdicts: [], history, firstOpenedAt: record.evidenceViewed.firstOpenedAt ?? undefined };
  }
  return {
    sessionId: record.sessionId,
    versionId: v.versionId,
    status: v.status,
    decision: v.decision ?? undefined,
    reasonCodes: v.reasons.map((r) => r.code),
    notes: v.notes,
    checkVerdicts: v.checkVerdicts.map((c) => ({ ...c })),
    reviewer: v.reviewer.name === null ? { osAccount: v.reviewer.osAccount } : { name: v.reviewer.name, osAccount: v.reviewer.osAccount },
    firstOpenedAt: v.firstOpenedAt ?? record.evidenceViewed.firstOpenedAt ?? undefined,
    decidedAt: v.decidedAt ?? undefined,
    savedAt: v.savedAt,
    timeOnTaskSeconds: v.timeOnTaskMs === null ? undefined : Math.round(v.timeOnTaskMs / 1000),
    activeSeconds: v.activeMs === undefined || v.activeMs === null ? undefined : Math.round(v.activeMs / 1000),
    history,
    manifestHash: v.manifestHash ?? undefined,
    faceMatchThreshold: v.status === 'CONFIRMED' ? v.context?.faceMatchThreshold : undefined,
    context: v.status === 'CONFIRMED' ? v.context : undefined,
  };
}
