/**
 * Whether the configured API answers, from what actually happened rather than from the network
 * interfaces: every request the Yoti client makes reports whether an HTTP answer came (any status:
 * a 404 is Yoti answering) or not (refused, DNS, timeout, TLS), and while nothing is asked a light
 * unsigned check asks the host (main/core/yoti/api-check.ts). Online = the latest outcome for the
 * configured URL is an answer, at most `freshMs` old. A computer with no network at all (Electron's
 * net.isOnline()) is offline without asking.
 *
 * The state is pure (reachabilityOf, checkDue); the tracker keeps the latest outcome and runs the
 * checks, with the clock, the check and the network signal injected. No Electron, no sockets here.
 */
import type { ApiReachability } from '../../../common/ipc/contract';
import type { RequestOutcome } from './http';

/** What one request or check found: an answer, or why none came, in words. */
export type ApiAnswer = { answered: true } | { answered: false; reason: string };

/** The latest outcome, for the API URL it was about, and when it was known (epoch ms). */
export type LastOutcome = ApiAnswer & { apiUrl: string; at: number };

/** Where requests go now. */
export interface ApiTarget {
  /** The configured API URL, as the handlers send to it (resolveApiUrl). */
  apiUrl: string;
  /** What to call it in a sentence: "Yoti's API", "the demo server", "the API at host:port". */
  name: string;
  /** Why requests may not go there (the trusted-host rules), in words: then it is not checked either. */
  refused?: string;
}

export interface ReachabilityTiming {
  /** After this long without a request while the API answered, a check asks it. */
  idleMs: number;
  /** While it does not answer, a check asks again this often: only an answer re-enables the actions that need it. */
  retryMs: number;
  /**
   * How long an answer counts as online. While the app is open the API is asked at least every
   * idleMs (60 s) plus one check's time (at most 10 s), so three minutes leaves room for a check
   * that runs late on a busy or sleeping machine without the bar flickering, and still stops an
   * answer from hours ago (the laptop was closed) from claiming the API answers now.
   */
  freshMs: number;
  /** How often the watcher looks at the network signal, the age of the outcome and whether a check is due. */
  tickMs: number;
}

export const REACHABILITY_TIMING: Readonly<ReachabilityTiming> = Object.freeze({ idleMs: 60_000, retryMs: 15_000, freshMs: 180_000, tickMs: 5_000 });

const NO_NETWORK = 'this computer is not connected to any network';

/** The state to show: online only when the latest outcome for the target is a recent answer. Pure. */
export function reachabilityOf(s: { now: number; networkUp: boolean; target: ApiTarget; last: LastOutcome | undefined; freshMs: number }): ApiReachability {
  const { target, last } = s;
  if (!s.networkUp) return { online: false, reason: NO_NETWORK };
  if (target.refused !== undefined) return { online: false, reason: target.refused };
  if (last === undefined || last.apiUrl !== target.apiUrl) return { online: false, reason: `${target.name} has not been asked yet` };
  const checkedAt = new Date(last.at).toISOString();
  if (!last.answered) return { online: false, reason: `${target.name} did not answer at ${clockTime(last.at)} (${last.reason})`, checkedAt };
  if (s.now - last.at > s.freshMs) return { online: false, reason: `${target.name} has not answered since ${clockTime(last.at)}`, checkedAt };
  return { online: true, checkedAt };
}

/** Whether a check should ask the target now: never without a network or for a host requests may not go to. Pure. */
export function checkDue(s: { now: number; networkUp: boolean; target: ApiTarget; last: LastOutcome | undefined; timing: ReachabilityTiming }): boolean {
  const { target, last } = s;
  if (!s.networkUp || target.refused !== undefined) return false;
  if (last === undefined || last.apiUrl !== target.apiUrl) return true;
  return s.now - last.at >= (last.answered ? s.timing.idleMs : s.timing.retryMs);
}

/** A transport outcome in words. */
export function answerOf(outcome: RequestOutcome): ApiAnswer {
  return outcome.answered ? { answered: true } : { answered: false, reason: noAnswerWords(outcome.error) };
}

const CONNECT_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
};

/** Why no answer came, in a few words, from a NetworkError's code and the system error behind it. */
export function noAnswerWords(error: { code: string; cause?: unknown }): string {
  const cause = error.cause;
  const system = typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string' ? (cause as { code: string }).code : undefined;
  const named = system === undefined ? '' : ` (${system})`;
  switch (error.code) {
    case 'CONNECT_TIMEOUT':
      return 'no connection in time';
    case 'HEADERS_TIMEOUT':
      return 'connected, but no answer in time';
    case 'TLS_FAILED':
      return `no trusted HTTPS connection${named}`;
    case 'CONNECTION_RESET':
      return 'the connection was closed before an answer';
    case 'CONNECTION_FAILED':
      return (system !== undefined ? CONNECT_WORDS[system] : undefined) ?? `could not connect${named}`;
    default:
      return 'no answer';
  }
}

/** "14:05" in this computer's time (main and the window run on the same one). */
function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export interface ReachabilityDeps {
  now: () => number;
  /** Where requests go now (the settings, the demo server, the trusted hosts). */
  target: () => Promise<ApiTarget>;
  /** One light check of the API's base URL, never signed (checkApi in the app). */
  check: (apiUrl: string) => Promise<ApiAnswer>;
  /** False when the computer has no network at all (Electron's net.isOnline()); default: always up. */
  networkUp?: () => boolean;
  /** Told each time online or the reason changes. */
  onChange: (state: ApiReachability) => void;
  timing?: Partial<ReachabilityTiming>;
}

/**
 * The latest outcome and the checks. record() is fed by every client request; current() is what
 * getAppState reports; start() watches while the app is open (checks when idle, retries while
 * offline, notices the network and the age of the outcome); refresh() looks again at once after
 * something moved the target (settings, the demo server, the network signal).
 */
export class ReachabilityTracker {
  readonly #deps: ReachabilityDeps;
  readonly #timing: ReachabilityTiming;
  #last: LastOutcome | undefined;
  #target: ApiTarget | undefined;
  #shown: ApiReachability | undefined;
  #checking: { apiUrl: string; done: Promise<void> } | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(deps: ReachabilityDeps) {
    this.#deps = deps;
    this.#timing = { ...REACHABILITY_TIMING, ...deps.timing };
  }

  /** The outcome of one attempt of a request to `apiUrl`. */
  record(apiUrl: string, outcome: RequestOutcome): void {
    this.#remember(apiUrl, answerOf(outcome));
  }

  /**
   * The state now. While watching, a target that was never asked (or whose answer is too old) is
   * checked first, so the window opens with the truth rather than a guess.
   */
  async current(): Promise<ApiReachability> {
    const target = await this.#reload();
    const last = this.#last;
    const unknown = last === undefined || last.apiUrl !== target.apiUrl || (last.answered && this.#deps.now() - last.at > this.#timing.freshMs);
    if (this.#timer !== undefined && unknown && checkDue(this.#inputs(target))) await this.#check(target.apiUrl);
    return this.#publish(target);
  }

  /** Looks again now: the change shows at once, and a check runs if one is due. */
  refresh(): void {
    if (this.#target !== undefined) this.#publish(this.#target);
    void this.#tick();
  }

  /** Watches the API while the app is open; stop() ends it. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#tick(), this.#timing.tickMs);
    this.#timer.unref?.();
    void this.#tick();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    try {
      const target = await this.#reload();
      if (this.#timer !== undefined && checkDue(this.#inputs(target))) await this.#check(target.apiUrl);
      this.#publish(target);
    } catch {
      // The settings could not be read this time: the state stays as it was, the next tick tries again.
    }
  }

  async #reload(): Promise<ApiTarget> {
    this.#target = await this.#deps.target();
    return this.#target;
  }

  /** One check per URL at a time; a caller that comes while it runs waits for the same one. */
  #check(apiUrl: string): Promise<void> {
    if (this.#checking?.apiUrl === apiUrl) return this.#checking.done;
    const done = this.#deps
      .check(apiUrl)
      .catch((): ApiAnswer => ({ answered: false, reason: 'the check could not be sent' }))
      .then((answer) => this.#remember(apiUrl, answer))
      .finally(() => {
        if (this.#checking?.done === done) this.#checking = undefined;
      });
    this.#checking = { apiUrl, done };
    return done;
  }

  #remember(apiUrl: string, answer: ApiAnswer): void {
    this.#last = { ...answer, apiUrl, at: this.#deps.now() };
    if (this.#target !== undefined) this.#publish(this.#target);
    else void this.#tick();
  }

  #inputs(target: ApiTarget) {
    return { now: this.#deps.now(), networkUp: this.#deps.networkUp?.() ?? true, target, last: this.#last, timing: this.#timing, freshMs: this.#timing.freshMs };
  }

  /** The state for `target`; told to onChange when online or the reason differs from what was last told. */
  #publish(target: ApiTarget): ApiReachability {
    const state = reachabilityOf(this.#inputs(target));
    const shown = this.#shown;
    if (shown === undefined || shown.online !== state.online || shown.reason !== state.reason) {
      this.#shown = state;
      this.#deps.onChange(state);
    }
    return state;
  }
}
