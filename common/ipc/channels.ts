/**
 * The contract's channel and event names without zod: the preload (and the browser bridge's copy of
 * it) imports this file, so it must stay free of runtime dependencies. `contract.ts` derives
 * CHANNELS from its zod schemas; the compile-time checks below and test/unit/ipc/api-surface.test.ts
 * keep the two lists identical, and the wire names identical to ipcChannel()/ipcEvent().
 */
import type { Channel, EventName } from './contract';

export const API_CHANNELS = [
  'getAppState',
  'updateSettings',
  'importKeyWithDialog',
  'removeKey',
  'chooseCaFileWithDialog',
  'startDemo',
  'stopDemo',
  'listSessions',
  'addSessions',
  'importSessionsCsvWithDialog',
  'fetchSession',
  'removeSessionLocally',
  'openSession',
  'markSessionOpened',
  'openRecord',
  'getSessionJson',
  'deleteRecord',
  'saveMediaWithDialog',
  'recordEvidenceViewed',
  'listReasonCodes',
  'saveReviewDraft',
  'checkDecision',
  'confirmDecision',
  'deleteAtYoti',
  'exportReportWithDialog',
  'verifyAudit',
  'getTeamView',
  'joinTeam',
  'claimNextTeamSession',
  'countersignTeamDecision',
] as const satisfies readonly Channel[];

export const API_EVENTS = ['fetch-progress', 'online-changed', 'session-updated', 'menu-command'] as const satisfies readonly EventName[];

// Fails to compile when the contract gains a channel or event that is not listed above.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const CHANNELS_COMPLETE: Missing<Channel, (typeof API_CHANNELS)[number]> = true;
export const EVENTS_COMPLETE: Missing<EventName, (typeof API_EVENTS)[number]> = true;

/** Same as contract.ts ipcChannel(): `idv:<channel>`. */
export const channelWireName = (c: Channel): string => `idv:${c}`;
/** Same as contract.ts ipcEvent(): `idv-event:<event>`. */
export const eventWireName = (e: EventName): string => `idv-event:${e}`;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (API_CHANNELS as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (API_EVENTS as readonly string[]).includes(value);
}
