import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { oneLine } from '../core/review/identity';
import { readExtraCa } from '../core/yoti/extra-ca';
import type * as z from 'zod';
import { DEMO_SDK_ID } from '../core/demo/demo-key';
import { AppError, LocalError, UsageError, isAppError } from '../../common/errors';
import { parseSession } from '../../common/session/parse';
import { placeAuditedReport } from '../core/report/export';
import { DEFAULT_REDACT_PROFILE } from '../core/report/redaction';
import { effectiveRecordRetentionDays, effectiveRetentionDays, resolveApiUrl, type Settings } from '../core/settings';
import type { SessionStore } from '../core/store/session-store';
import { IdvClient, PRODUCTION_API_URL } from '../core/yoti/client';
import { apiHost, isAllowedApiUrl } from '../core/yoti/api-hosts';
import { parseBaseUrl } from '../core/yoti/http';
import {
  ARGS,
  CHANNELS,
  type Channel,
  type FetchResult,
  type KeyView,
  type ParsedArgs,
  type Result,
  type Results,
  type QueueRow,
  type SeenBeforeView,
  type SettingsView,
} from '../../common/ipc/contract';
import { writePrivateFile } from './dialog-files';
import { cleanMessage, invalidArguments, toApiError } from './errors';
import type { AuditEntryInput, CallContext, Handler, Handlers, Services } from './ports';
import { parseSessionIdCsv, parseSessionIdText, type ParsedIds } from './session-ids';
import { buildRecordView } from './record-view';
import { buildSessionView, notCached } from './session-view';
import { teamHandlers } from './team-handlers';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The transport-neutral handler table: one async function per contract channel. Each validates its
 * raw arguments with the contract's zod schema, runs the use case over the real services and
 * resolves to a Result; it never throws and never lets a stack, a path, key material or a signed
 * URL through (errors.ts). The Electron shell (main/shell/ipc.ts) and the browser bridge call the same
 * table; sender checks happen before it, in the shell.
 */
export function createHandlers(services: Services): Handlers {
  const { vault, clock, events, log } = services;
  const queue = () => services.queue();

  /**
   * The handler table's own audit entries (the stores record fetches, openings, views, review saves
   * and deletions themselves). Audit failures are reported, never hidden: an action that cannot be
   * audited fails.
   */
  const audit = (entry: AuditEntryInput): Promise<void> => services.audit.append(entry);

  const settingsView = (settings: Settings): SettingsView => {
    const apiUrl = resolveApiUrl(undefined, settings);
    const demo = services.demo.status();
    const environment = apiUrl === PRODUCTION_API_URL ? 'production' : demo.running && demo.apiUrl === apiUrl ? 'demo' : 'custom';
    const view: SettingsView = {
      apiUrl,
      environment,
      retentionDays: effectiveRetentionDays(settings),
      retentionChosen: settings.retentionDays !== undefined,
      recordRetentionDays: effectiveRecordRetentionDays(settings),
      faceMatchThreshold: settings.faceMatchThreshold,
      hostName: hostname(),
    };
    if (settings.reviewerName !== undefined) view.reviewerName = settings.reviewerName;
    if (settings.reviewerRole !== undefined) view.reviewerRole = settings.reviewerRole;
    if (settings.workstation !== undefined) view.workstation = settings.workstation;
    if (settings.sdkId !== undefined) view.sdkId = settings.sdkId;
    if (settings.extraCaFile !== undefined) view.extraCaFile = basename(settings.extraCaFile);
    return view;
  };

  /**
   * The key to sign with for an API URL: `preferred` when stored (the key a session was fetched
   * with). Loopback URLs are demo or test servers: the demo key, when stored. Otherwise the customer
   * key `chosen` in Settings, or the only one (the demo key is never sent to a real host).
   */
  const sdkIdFor = async (apiUrl: string, preferred?: string, chosen?: string): Promise<string> => {
    const keys = await vault.list();
    const loopback = LOOPBACK_HOSTS.has(parseBaseUrl(apiUrl).hostname.toLowerCase());
    if (preferred !== undefined && keys.some((k) => k.sdkId === preferred) && (preferred !== DEMO_SDK_ID || loopback)) return preferred;
    if (loopback && keys.some((k) => k.sdkId === DEMO_SDK_ID)) return DEMO_SDK_ID;
    const customer = keys.filter((k) => k.sdkId !== DEMO_SDK_ID);
    if (chosen !== undefined && customer.some((k) => k.sdkId === chosen)) return chosen;
    const only = customer[0];
    if (customer.length === 1 && only) return only.sdkId;
    if (customer.length === 0) {
      throw new UsageError('KEY_REQUIRED', 'No Yoti key is stored yet: import the key of your Yoti application in Settings, or start the demo.');
    }
    throw new UsageError(
      'SDK_ID_REQUIRED',
      `${customer.length} Yoti keys are stored (${customer.map((k) => k.sdkId).join(', ')}): choose the one to fetch with in Settings.`,
    );
  };

  /** The customer key signs only for Yoti's API, the demo server main started, or a host a person allowed in main's dialog. */
  const maySign = (apiUrl: string, settings: Settings): boolean => isAllowedApiUrl(apiUrl, settings.trustedApiHosts, services.demo.status());

  const withClient = async <T>(apiUrl: string, sdkId: string, fn: (client: IdvClient) => Promise<T>): Promise<T> => {
    const settings = await services.settings.load();
    if (!maySign(apiUrl, settings)) {
      throw new UsageError(
        'HOST_NOT_ALLOWED',
        `Nothing was sent: requests signed with your key go only to Yoti's API, the demo server this app started, or a host allowed in Settings, and ${apiHost(apiUrl)} is none of these.`,
      );
    }
    const ca = settings.extraCaFile === undefined ? undefined : await readExtraCa(settings.extraCaFile);
    const client = new IdvClient({
      ...services.clientOptions,
      sdkId,
      key: await vault.loadKey(sdkId),
      baseUrl: apiUrl,
      ...(ca === undefined ? {} : { ca: ca.pem }),
      // Every attempt says whether the API answered: the online state rests on what really happened.
      onOutcome: (outcome) => services.reachability.record(apiUrl, outcome),
    });
    try {
      return await fn(client);
    } finally {
      client.close();
    }
  };

  /** The stored copy, or null when there is none or it is damaged (then it is fetched again). */
  const cachedOrNull = async (store: SessionStore, sessionId: string) => {
    try {
      return await store.loadSession(sessionId);
    } catch (err) {
      if (err instanceof AppError) return null;
      throw err;
    }
  };

  const addIds = async (parsed: ParsedIds): Promise<Results['addSessions']> => {
    const { added, existing } = await (await queue()).add(parsed.ids, clock.now().toISOString());
    // Repeated within the input, or already in the queue: each listed once.
    const duplicates = [...new Set([...parsed.repeated, ...existing])];
    if (added.length > 0) await audit({ action: 'sessions.added', details: { count: added.length } });
    return { added, duplicates, invalid: parsed.invalid };
  };

  const impl: { [C in Channel]: (args: ParsedArgs<C>, ctx: CallContext) => Promise<Results[C]> } = {
    async getAppState() {
      const settings = await services.settings.load();
      const keys: KeyView[] = (await vault.list()).filter((k) => k.sdkId !== DEMO_SDK_ID).map((k) => ({ ...k }));
      return {
        version: services.appVersion,
        settings: settingsView(settings),
        keys,
        demo: services.demo.status(),
        reachability: await services.reachability.current(),
        osAccount: services.osAccount,
      };
    },

    async updateSettings(args) {
      const current = await services.settings.load();
      // What weakens the record is confirmed by main, natively: a page cannot lower retention (the next
      // start-up purges) or move the face-match threshold on its own.
      const weakening = weakeningChanges(current, args);
      if (weakening.length > 0) {
        const confirmed = await services.dialogs.confirm({
          title: 'Change review settings',
          message: weakening.length === 1 ? `${weakening[0]}?` : `Make these changes?\n${weakening.map((w) => `• ${w}`).join('\n')}`,
          detail: 'Each change is recorded in the audit log. Decisions already confirmed keep the threshold they were made with.',
          confirmLabel: 'Change',
        });
        if (!confirmed) throw new UsageError('NOT_CONFIRMED', 'Nothing was changed: the change was not confirmed.');
      }
      const next: Settings = { ...current };
      let trustedHost: string | undefined;
      const changed: string[] = [];
      if (args.apiUrl !== undefined) {
        if (args.apiUrl === null) next.apiUrl = undefined;
        else {
          parseBaseUrl(args.apiUrl); // https, or http to loopback only; no credentials, query or fragment
          const url = resolveApiUrl(args.apiUrl, current);
          if (!maySign(url, current)) {
            // A page cannot aim the key elsewhere on its own: main asks, names the host, remembers the answer.
            const host = apiHost(url);
            const allowed = await services.dialogs.confirm({
              title: 'Sign requests for another server',
              message: `Let your Yoti key sign requests sent to ${host}?`,
              detail:
                `${host} is not Yoti's API (api.yoti.com). Requests signed with your key could be replayed against Yoti, and their addresses name your sessions. ` +
                'Allow it only for a server you run or trust. The answer is kept for this host and recorded in the audit log.',
              confirmLabel: `Allow ${host}`,
            });
            if (!allowed) throw new UsageError('NOT_CONFIRMED', `Nothing was changed: ${host} was not allowed to receive requests signed with your key.`);
            next.trustedApiHosts = [...(current.trustedApiHosts ?? []), host];
            trustedHost = host;
          }
          next.apiUrl = url === PRODUCTION_API_URL ? undefined : url;
        }
        changed.push('apiUrl');
      }
      // Each is one printable line; '' clears it.
      for (const key of ['reviewerName', 'reviewerRole', 'workstation'] as const) {
        const given = args[key];
        if (given === undefined) continue;
        next[key] = oneLine(given, Number.POSITIVE_INFINITY);
        changed.push(key);
      }
      if (args.retentionDays !== undefined) {
        next.retentionDays = args.retentionDays;
        changed.push('retentionDays');
      }
      if (args.recordRetentionDays !== undefined) {
        next.recordRetentionDays = args.recordRetentionDays;
        changed.push('recordRetentionDays');
      }
      if (args.faceMatchThreshold !== undefined) {
        next.faceMatchThreshold = args.faceMatchThreshold;
        changed.push('faceMatchThreshold');
      }
      if (args.sdkId !== undefined) {
        if (args.sdkId !== null && !(await vault.list()).some((k) => k.sdkId === args.sdkId && k.sdkId !== DEMO_SDK_ID)) {
          throw new UsageError('KEY_NOT_FOUND', `No key of a Yoti application with SDK ID ${args.sdkId} is stored: import it first.`);
        }
        next.sdkId = args.sdkId ?? undefined;
        changed.push('sdkId');
      }
      if (args.extraCaFile === null && current.extraCaFile !== undefined) {
        next.extraCaFile = undefined;
        changed.push('extraCaFile');
      }
      await services.settings.save(next);
      services.reachability.refresh();
      const view = settingsView(next);
      if (changed.length > 0) {
        // A threshold change re-colours nothing already decided (each version keeps its own), but is audited with both values.
        const threshold: Record<string, number> =
          next.faceMatchThreshold !== current.faceMatchThreshold ? { faceMatchThresholdFrom: current.faceMatchThreshold, faceMatchThresholdTo: next.faceMatchThreshold } : {};
        await audit({
          action: 'settings.changed',
          details: {
            fields: changed.join(','),
            apiUrl: view.apiUrl,
            environment: view.environment,
            ...(view.sdkId ? { sdkId: view.sdkId } : {}),
            ...threshold,
            ...(trustedHost === undefined ? {} : { trustedHost }),
          },
        });
      }
      return view;
    },

    async chooseCaFileWithDialog() {
      const path = await services.dialogs.openCaBundle();
      if (path === null) return { cancelled: true };
      const ca = await readExtraCa(path);
      // Trusting another authority lets whoever holds its key read signed requests: main asks, natively.
      const trusted = await services.dialogs.confirm({
        title: 'Trust a certificate authority',
        message: `Trust the ${ca.certificates} certificate authorit${ca.certificates === 1 ? 'y' : 'ies'} in ${basename(path)} for requests signed with your Yoti key?`,
        detail:
          "Use this only for your organisation's TLS-inspecting proxy. Whoever holds the key of one of these authorities can read, and replay, requests signed with your key. " +
          `Node's bundled authorities stay trusted. SHA-256 of the file: ${ca.sha256}. The choice is recorded in the audit log.`,
        confirmLabel: 'Trust them',
      });
      if (!trusted) throw new UsageError('NOT_CONFIRMED', 'Nothing was changed: the certificate authorities were not trusted.');
      const current = await services.settings.load();
      await services.settings.save({ ...current, extraCaFile: path });
      services.reachability.refresh();
      await audit({ action: 'settings.changed', details: { fields: 'extraCaFile', extraCaSha256: ca.sha256, certificates: ca.certificates } });
      return { cancelled: false, certificates: ca.certificates, sha256: ca.sha256 };
    },

    async importKeyWithDialog(args) {
      if (args.sdkId === DEMO_SDK_ID) {
        throw new UsageError('RESERVED_SDK_ID', `SDK ID ${DEMO_SDK_ID} is reserved for the demo key; use the SDK ID of your Yoti application.`);
      }
      const pem = await services.dialogs.openPem();
      if (pem === null) return { cancelled: true };
      let info;
      try {
        info = await vault.importKey(args.sdkId, pem);
      } finally {
        pem.fill(0);
      }
      await audit({ action: 'key.imported', details: { sdkId: info.sdkId, fingerprint: info.fingerprint, modulusBits: info.modulusBits } });
      return { cancelled: false, key: { ...info } };
    },

    async removeKey(args) {
      const confirmed = await services.dialogs.confirm({
        title: 'Remove a key',
        message: `Remove the key of SDK ID ${args.sdkId} from this computer?`,
        detail: 'Sessions of that Yoti application cannot be fetched or deleted at Yoti until the key is imported again. Stored evidence and review records stay.',
        confirmLabel: 'Remove key',
      });
      if (!confirmed) return { removed: false };
      const removed = await vault.remove(args.sdkId);
      if (removed) await audit({ action: 'key.removed', details: { sdkId: args.sdkId } });
      // A choice of a key that is gone is no choice: with several keys left, fetching asks again.
      const settings = await services.settings.load();
      if (settings.sdkId === args.sdkId) await services.settings.save({ ...settings, sdkId: undefined });
      return { removed };
    },

    async startDemo() {
      const started = await services.demo.start();
      services.reachability.refresh();
      await audit({ action: 'demo.started', details: { apiUrl: started.apiUrl } });
      return started;
    },

    async stopDemo() {
      const stopped = await services.demo.stop();
      services.reachability.refresh();
      if (stopped) await audit({ action: 'demo.stopped' });
      return { stopped };
    },

    async listSessions() {
      const entries = await (await queue()).list();
      const threshold = (await services.settings.load()).faceMatchThreshold;
      const stored = new Map((await services.local.list(clock.now(), { faceMatchThreshold: threshold, mediaUrl: services.media.urlFor })).map((row) => [row.sessionId, row]));
      // A badge, not a gate: a damaged index is rebuilt by the next open, so the queue still lists.
      const seen = await services.seenBefore.all().catch(() => new Map<string, SeenBeforeView[]>());
      const queued: QueueRow[] = entries.map((e) => {
        const matches = seen.get(e.sessionId) ?? [];
        const row = stored.get(e.sessionId);
        return {
          ...(row ?? { sessionId: e.sessionId, cache: 'not-fetched' as const }),
          addedAt: e.addedAt,
          // The opened session adds one warning for every earlier session of the same document or person.
          ...(row?.warnings === undefined ? {} : { warnings: row.warnings + (matches.length > 0 ? 1 : 0) }),
          ...(matches.length > 0 ? { seenBefore: { count: matches.length, rejected: matches.some((m) => m.decision === 'REJECT') } } : {}),
        };
      });
      // A record whose evidence was deleted stays listed (after the queue, newest deletion first) until the record itself goes.
      const inQueue = new Set(entries.map((e) => e.sessionId));
      const records = [...stored.values()]
        .flatMap((row) => (row.evidenceDeleted === undefined || inQueue.has(row.sessionId) ? [] : [{ ...row, addedAt: row.evidenceDeleted.at }]))
        .sort((a, b) => (a.addedAt === b.addedAt ? 0 : a.addedAt < b.addedAt ? 1 : -1));
      return [...queued, ...records];
    },

    async addSessions(args) {
      return addIds(parseSessionIdText(args.text));
    },

    async importSessionsCsvWithDialog() {
      const text = await services.dialogs.openCsv();
      if (text === null) return { cancelled: true, added: [], duplicates: [], invalid: [] };
      return { cancelled: false, ...(await addIds(parseSessionIdCsv(text))) };
    },

    async fetchSession(args) {
      const { sessionId } = args;
      const settings = await services.settings.load();
      const apiUrl = resolveApiUrl(undefined, settings);
      const sdkId = await sdkIdFor(apiUrl, undefined, settings.sdkId);
      const report = await withClient(apiUrl, sdkId, (client) =>
        services.sync.fetch({
          client,
          sessionId,
          sdkId,
          apiUrl,
          force: args.force === true,
          onProgress: (p) => events.emit('fetch-progress', { sessionId: p.sessionId, done: p.done, total: p.total }),
        }),
      );
      await (await queue()).add([sessionId], clock.now().toISOString());
      if (!report.keptCached || report.mediaSaved + report.mediaNoContent > 0) {
        events.emit('session-updated', { sessionId });
      }
      const result: FetchResult = {
        sessionId,
        mediaTotal: report.mediaTotal,
        mediaSaved: report.mediaSaved,
        mediaNoContent: report.mediaNoContent,
        mediaFailed: report.mediaFailed.map((f) => ({ mediaId: f.mediaId, code: f.code, message: cleanMessage(f.message, services.dataDir) })),
      };
      if (report.state !== undefined) result.state = report.state;
      if (report.keptCached) result.keptCached = true;
      return result;
    },

    async removeSessionLocally(args) {
      const { sessionId } = args;
      // Asked by main, natively: a page cannot delete evidence on its own.
      const confirmed = await services.dialogs.confirm({
        title: 'Remove from this computer',
        message: `Remove session ${sessionId} from this computer and from the queue?`,
        detail:
          "Its evidence (document images, liveness frames, Yoti's data) is deleted from this computer; it stays at Yoti. " +
          'The review record, with the evidence manifest of each decision, and the audit log stay on this computer: ' +
          'a session with a record stays listed as "Evidence deleted, record kept" until the record itself is deleted.',
        confirmLabel: 'Remove',
      });
      if (!confirmed) return { removed: false };
      const hadCopy = await services.local.deleteSession(sessionId, 'local-only');
      const wasQueued = await (await queue()).remove(sessionId);
      services.media.revokeSession(sessionId);
      if (wasQueued) await audit({ action: 'sessions.removed', sessionId, details: { hadCopy } });
      const removed = hadCopy || wasQueued;
      if (removed) events.emit('session-updated', { sessionId });
      return { removed };
    },

    async openSession(args) {
      return buildSessionView(
        {
          store: await services.store(),
          media: services.media,
          settings: await services.settings.load(),
          reviews: services.reviews,
          seenBefore: services.seenBefore,
          local: services.local,
        },
        args.sessionId,
        { readAhead: args.readAhead },
      );
    },

    async markSessionOpened(args) {
      if ((await (await services.store()).loadSession(args.sessionId)) === null) throw notCached(args.sessionId);
      await services.reviews.markOpened(args.sessionId);
      return services.reviews.get(args.sessionId);
    },

    async openRecord(args) {
      return buildRecordView({ reviews: services.reviews, local: services.local }, args.sessionId);
    },

    async getSessionJson(args) {
      return services.local.sessionJson(args.sessionId, args.reveal);
    },

    async deleteRecord(args) {
      const { sessionId } = args;
      const keptUntil = await services.local.recordKeptUntil(sessionId);
      // Asked by main, natively: the record is regulatory evidence, and a page cannot delete it on its own.
      const confirmed = await services.dialogs.confirm({
        title: 'Delete the review record',
        message: `Delete the review record of session ${sessionId} from this computer?`,
        detail:
          'Every version of the decision, its notes and check verdicts, and the evidence manifest of each decision are deleted, ' +
          'with any evidence still stored. The audit log keeps its entries (ids and hashes). ' +
          `Records are kept for the record retention (UK MLR 2017 reg 40: five years)${keptUntil === null ? '' : `; this one until ${keptUntil.slice(0, 10)}`}: ` +
          'delete it now only if you must. This cannot be undone.',
        confirmLabel: 'Delete record',
      });
      if (!confirmed) return { deleted: false };
      const deleted = await services.local.deleteRecord(sessionId);
      if (!deleted) return { deleted: false };
      await (await queue()).remove(sessionId);
      services.media.revokeSession(sessionId);
      events.emit('session-updated', { sessionId });
      return { deleted: true };
    },

    async saveMediaWithDialog(args) {
      const { sessionId, mediaId } = args;
      const loaded = await (await services.store()).loadMedia(sessionId, mediaId);
      if (loaded === null) {
        throw new LocalError('MEDIA_NOT_CACHED', `Media ${mediaId} of session ${sessionId} is not on this computer: fetch the session first.`);
      }
      if ('noContent' in loaded) {
        throw new LocalError('MEDIA_NO_CONTENT', `Yoti had no content for media ${mediaId} when session ${sessionId} was fetched, so there is nothing to save.`);
      }
      const name = `${sessionId}-${mediaId}${extensionFor(loaded.meta.mimeType)}`;
      if (!(await services.dialogs.saveFile(name, (path) => writePrivateFile(path, loaded.bytes)))) return { cancelled: true };
      await audit({ action: 'media.exported', sessionId, details: { mediaId, size: loaded.bytes.length, sha256: loaded.meta.sha256, mimeType: loaded.meta.mimeType } });
      return { cancelled: false, size: loaded.bytes.length, sha256: loaded.meta.sha256 };
    },

    async recordEvidenceViewed(args) {
      await services.reviews.recordEvidenceViewed(args);
      return { recorded: true };
    },

    async listReasonCodes() {
      return services.reviews.listReasonCodes();
    },

    async saveReviewDraft(args) {
      const view = await services.reviews.saveDraft(args);
      events.emit('session-updated', { sessionId: args.sessionId });
      return view;
    },

    async checkDecision(args) {
      return services.reviews.checkDecision(args);
    },

    async confirmDecision(args) {
      const view = await services.reviews.confirmDecision(args);
      events.emit('session-updated', { sessionId: args.sessionId });
      return view;
    },

    async deleteAtYoti(args) {
      const { sessionId, mediaId } = args;
      const settings = await services.settings.load();
      const apiUrl = resolveApiUrl(undefined, settings);
      const store = await services.store();
      const cached = await cachedOrNull(store, sessionId);
      if (cached && cached.meta.apiUrl !== apiUrl) {
        throw new UsageError(
          'ENVIRONMENT_MISMATCH',
          `Session ${sessionId} was fetched from ${cached.meta.apiUrl}, but the app now uses ${apiUrl}. Switch back to that environment in Settings to delete it there.`,
        );
      }
      if (cached) {
        const state = parseSession(cached.body).session.state;
        if (state !== undefined && state !== 'COMPLETED') {
          throw new UsageError(
            'SESSION_NOT_COMPLETED',
            `Session ${sessionId} was ${state} when it was fetched. Yoti deletes a session (or its media) only once it is COMPLETED: ` +
              'wait until the person has finished or the session has expired, fetch it again, then delete it.',
          );
        }
      }
      const sdkId = await sdkIdFor(apiUrl, cached?.meta.sdkId, settings.sdkId);
      const what = mediaId ? `media item ${mediaId} of session ${sessionId}` : `session ${sessionId} and all its media`;
      const confirmed = await services.dialogs.confirm({
        title: 'Delete at Yoti',
        message: `Delete ${what} at Yoti and from this computer?`,
        detail: `Environment: ${apiUrl} (SDK ID ${sdkId}). This cannot be undone. The review record (with the evidence manifest of each decision) and the audit log stay on this computer.`,
        confirmLabel: 'Delete at Yoti',
      });
      if (!confirmed) return { deleted: false };
      await withClient(apiUrl, sdkId, async (client) => {
        if (mediaId) await client.deleteMediaContent(sessionId, mediaId);
        else await client.deleteSession(sessionId);
      });
      await audit({ action: 'remote.deleted', sessionId, details: { apiUrl, sdkId, mediaId: mediaId ?? null } });
      // Yoti has deleted it: the local copy must not outlive that (its deletion has its own audit entry).
      if (mediaId) await services.local.deleteMedia(sessionId, mediaId, 'at-yoti');
      else {
        await services.local.deleteSession(sessionId, 'at-yoti');
        await (await queue()).remove(sessionId);
        services.media.revokeSession(sessionId);
      }
      events.emit('session-updated', { sessionId });
      return { deleted: true };
    },

    async exportReportWithDialog(args) {
      // The app's redact switch is the numbers profile (the same as the CLI's bare --redact).
      const file = await services.reports.export(args.sessionId, args.redact ? DEFAULT_REDACT_PROFILE : 'none');
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      if (sha256 !== file.sha256) log.warn(`report for ${args.sessionId}: the sha256 given by the report module does not match its bytes`);
      // The file is put in place only once the audit log records it (placeAuditedReport).
      const record = () => audit({ action: 'report.exported', sessionId: args.sessionId, details: { ...file.auditData, sha256, bytes: file.bytes.length } });
      const write = (path: string) => placeAuditedReport(path, file.bytes, record);
      if (!(await services.dialogs.saveFile(safeFileName(file.suggestedName, `review-${args.sessionId}.pdf`), write))) {
        return { cancelled: true };
      }
      return { cancelled: false, sha256, pages: file.pages, draft: file.draft };
    },

    async verifyAudit() {
      return services.audit.verify();
    },

    ...teamHandlers(services),
  };

  const table = {} as Record<Channel, Handler<Channel>>;
  for (const channel of CHANNELS) table[channel] = wrap(channel, impl[channel] as (args: unknown, ctx: CallContext) => Promise<unknown>);
  return table as unknown as Handlers;

  function wrap(channel: Channel, fn: (args: unknown, ctx: CallContext) => Promise<unknown>): Handler<Channel> {
    const schema = ARGS[channel] as z.ZodType;
    return async (rawArgs: unknown, ctx: CallContext): Promise<Result<Results[Channel]>> => {
      const parsed = schema.safeParse(rawArgs);
      if (!parsed.success) return { ok: false, error: invalidArguments(describeIssues(parsed.error)) };
      try {
        return { ok: true, value: (await fn(parsed.data, ctx)) as Results[Channel] };
      } catch (err) {
        if (isAppError(err) && err.kind !== 'usage') log.warn(`${channel}: ${err.code}: ${cleanMessage(err.message, services.dataDir)}`);
        return { ok: false, error: toApiError(err, { dataDir: services.dataDir, log, channel }) };
      }
    };
  }
}

/** The changes of an updateSettings call that weaken the record, in words (unchanged values ask nothing). */
function weakeningChanges(current: Settings, args: { retentionDays?: number; recordRetentionDays?: number; faceMatchThreshold?: number }): string[] {
  const out: string[] = [];
  const evidenceDays = effectiveRetentionDays(current);
  if (args.retentionDays !== undefined && args.retentionDays < evidenceDays) {
    out.push(`Keep evidence ${args.retentionDays} days instead of ${evidenceDays} (the next start deletes evidence past it)`);
  }
  const recordDays = effectiveRecordRetentionDays(current);
  if (args.recordRetentionDays !== undefined && args.recordRetentionDays < recordDays) {
    out.push(`Keep review records ${args.recordRetentionDays} days instead of ${recordDays} (the next start deletes records past it)`);
  }
  if (args.faceMatchThreshold !== undefined && args.faceMatchThreshold !== current.faceMatchThreshold) {
    out.push(`Set the face-match threshold to ${args.faceMatchThreshold.toFixed(2)} instead of ${current.faceMatchThreshold.toFixed(2)}`);
  }
  return out;
}

function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 3).map((i) => `${i.path.length > 0 ? i.path.join('.') : 'arguments'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `Invalid arguments: ${parts.join('; ')}${more}.`;
}

function extensionFor(mimeType: string): string {
  switch (mimeType.toLowerCase()) {
    case 'image/jpeg':
      return '.jpg';
    case 'image/png':
      return '.png';
    case 'application/pdf':
      return '.pdf';
    case 'application/json':
      return '.json';
    default:
      return '.bin';
  }
}

/** A bare file name of safe characters (the dialog's suggestion only; the person chooses the path). */
function safeFileName(name: string, fallback: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^\.+/, '').slice(0, 120);
  return clean === '' ? fallback : clean;
}
