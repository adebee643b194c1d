import { useConsole } from './store';

/** Why an action that needs Yoti cannot run while the API does not answer, in words for its title and note. */
export function needsYotiWords(reason: string | undefined): string {
  return `Needs Yoti's API, and the app is offline: ${reason ?? 'the API does not answer'}.`;
}

/** undefined while the configured API answers; otherwise why an action that needs it is disabled. */
export function useNeedsYoti(): string | undefined {
  const online = useConsole((s) => s.online);
  const reason = useConsole((s) => s.offlineReason);
  return online ? undefined : needsYotiWords(reason);
}
