import { PRODUCTION_API_URL } from './client';
import { parseBaseUrl } from './http';

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
