import { homedir } from 'node:os';
import { isAppError } from '../../common/errors';
import { redact } from '../core/redact';
import type { ApiErrorInfo } from '../../common/ipc/contract';
import type { Logger } from './ports';

/**
 * What crosses to the renderer when a call fails: a stable code, words, and a kind. The words are an
 * AppError's message with key material, signatures, signed query parameters (redact()) and local
 * paths cut out; never a stack. Anything that is not an AppError is a bug: the renderer gets a
 * generic sentence and the details go to the (redacted) log.
 */
export const MAX_MESSAGE_CHARS = 600;
export const INTERNAL_MESSAGE = 'Something went wrong inside the app. Nothing was sent; the details were written to the log.';

export function toApiError(error: unknown, opts: { dataDir?: string; log?: Logger; channel?: string }): ApiErrorInfo {
  if (isAppError(error)) {
    return { code: error.code, kind: error.kind, message: cleanMessage(error.message, opts.dataDir) };
  }
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  opts.log?.error(`${opts.channel ?? 'call'} failed: ${cleanMessage(detail, opts.dataDir, 4_000)}`);
  return { code: 'INTERNAL', kind: 'local', message: INTERNAL_MESSAGE };
}

export function invalidArguments(message: string): ApiErrorInfo {
  return { code: 'INVALID_ARGUMENTS', kind: 'usage', message: cleanMessage(message) };
}

export function forbidden(): ApiErrorInfo {
  return { code: 'FORBIDDEN', kind: 'usage', message: "This call is accepted only from the app's own window." };
}

/** redact(), then local paths replaced by words, then capped. */
export function cleanMessage(text: string, dataDir?: string, max = MAX_MESSAGE_CHARS): string {
  let out = redact(text);
  if (dataDir) out = replaceAll(out, dataDir, 'the data folder');
  const home = safeHomedir();
  if (home && home.length > 1) out = replaceAll(out, home, '~');
  out = out
    // POSIX absolute paths (also ~/…): at least two segments, so "/" in "and/or" or "1/2" survives.
    .replace(/(^|[\s("'`=:])(~?\/(?:[^\s/"'`()]+\/)+[^\s"'`()]*)/g, '$1[path]')
    // Windows paths: C:\… and \\server\share\…
    .replace(/(^|[\s("'`=:])((?:[A-Za-z]:|\\\\[^\s\\]+)\\[^\s"'`()]*)/g, '$1[path]')
    .trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

function replaceAll(text: string, needle: string, replacement: string): string {
  return needle === '' ? text : text.split(needle).join(replacement);
}

function safeHomedir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}
