import { PRODUCTION_API_URL } from './client';
import { parseBaseUrl } from './http';
import type { ApiTarget } from './reachability';

/**
 * Where the customer key signs without asking: Yoti's own API over https. Yoti's signed message
 * names no host, so a request signed for any other host could be replayed against Yoti, and its path
 * and DNS name carry data out: every other base URL needs a person's explicit choice (the app asks in
 * main's own dialog and remembers the host; the CLI's --api-url is that choice, said on stderr).
 */
const SANDBOX_API_URL = 'https://api.yoti.com/sandbox/idverify/v1';
const YOTI_API_URLS: ReadonlySet<string> = new Set([PRODUCTION_API_URL, SANDBOX_API_URL]);

/** Yoti's production API or its hosted sandbox (https, api.yoti.com, port 443). */
export function isYotiApiUrl(apiUrl: string): boolean {
  return YOTI_API_URLS.has(parseBaseUrl(apiUrl).href);
}

/** The host in full, with its port when not the default: what a person is asked to trust. */
export function apiHost(apiUrl: string): string {
  return parseBaseUrl(apiUrl).host.toLowerCase();
}

/** A server on this computer (the sandbox, a test server). */
export function isLoopbackApiUrl(apiUrl: string): boolean {
  return ['127.0.0.1', 'localhost', '::1'].includes(parseBaseUrl(apiUrl).hostname.toLowerCase());
}

/**
 * Whether requests may go to `apiUrl`: Yoti's API, the demo server main started (while it runs), or a
 * host a person allowed in main's dialog (the settings' trustedApiHosts).
 */
export function isAllowedApiUrl(apiUrl: string, trustedApiHosts: readonly string[] | undefined, demo: { running: boolean; apiUrl?: string }): boolean {
  if (isYotiApiUrl(apiUrl)) return true;
  if (demo.running && demo.apiUrl === apiUrl) return true;
  return (trustedApiHosts ?? []).includes(apiHost(apiUrl));
}

/** Where requests go now, named for a sentence, and why nothing may be sent there when that is so. */
export function apiTarget(apiUrl: string, trustedApiHosts: readonly string[] | undefined, demo: { running: boolean; apiUrl?: string }): ApiTarget {
  const host = apiHost(apiUrl);
  const name = isYotiApiUrl(apiUrl) ? "Yoti's API" : demo.running && demo.apiUrl === apiUrl ? 'the demo server' : `the API at ${host}`;
  if (isAllowedApiUrl(apiUrl, trustedApiHosts, demo)) return { apiUrl, name };
  return { apiUrl, name, refused: `nothing is sent to ${host}: it is not Yoti's API, the demo server this app started or a host allowed in Settings` };
}
