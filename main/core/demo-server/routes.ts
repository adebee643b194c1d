import { isYotiId } from '../../../common/yoti-ids';
import type { RouteName } from './faults';

/**
 * Route matching on the raw path (relative to the mount). Nothing is decoded or normalised: an id
 * segment must already be a plain Yoti id (letters, digits, hyphens), so `..`, `%2f`, empty segments
 * and the like never reach a handler.
 */
export const MOUNT = '/idverify/v1';

export interface RouteMatch {
  name: Exclude<RouteName, 'unknown'>;
  sessionId?: string;
  mediaId?: string;
  sdkId?: string;
}

export type RouteResult =
  | { kind: 'match'; route: RouteMatch }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allow: string[] };

interface Pattern {
  segments: string[];
  methods: Partial<Record<string, Exclude<RouteName, 'unknown'>>>;
}

const PATTERNS: Pattern[] = [
  { segments: ['sessions'], methods: { POST: 'createSession' } },
  { segments: ['sessions', ':sessionId'], methods: { GET: 'session', DELETE: 'deleteSession' } },
  { segments: ['sessions', ':sessionId', 'configuration'], methods: { GET: 'configuration' } },
  { segments: ['sessions', ':sessionId', 'response-config'], methods: { PUT: 'sessionResponseConfig' } },
  { segments: ['sessions', ':sessionId', 'media', ':mediaId', 'content'], methods: { GET: 'media', DELETE: 'deleteMedia' } },
  { segments: ['apps', ':sdkId', 'response-config'], methods: { PUT: 'appResponseConfig' } },
];

export function matchRoute(method: string, path: string): RouteResult {
  if (!path.startsWith('/')) return { kind: 'not-found' };
  const parts = path.slice(1).split('/');
  for (const p of PATTERNS) {
    if (p.segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < p.segments.length && ok; i++) {
      const seg = p.segments[i] ?? '';
      const part = parts[i] ?? '';
      if (seg.startsWith(':')) {
        if (isYotiId(part)) params[seg.slice(1)] = part;
        else ok = false;
      } else if (seg !== part) ok = false;
    }
    if (!ok) continue;
    const name = p.methods[method];
    if (!name) return { kind: 'method-not-allowed', allow: Object.keys(p.methods) };
    return { kind: 'match', route: { name, sessionId: params.sessionId, mediaId: params.mediaId, sdkId: params.sdkId } };
  }
  return { kind: 'not-found' };
}

/** Splits a raw request target into the part after the mount and its query; undefined outside the mount. */
export function splitTarget(rawUrl: string): { pathWithQuery: string; path: string; query: string } | undefined {
  if (!rawUrl.startsWith(`${MOUNT}/`) && !rawUrl.startsWith(`${MOUNT}?`) && rawUrl !== MOUNT) return undefined;
  const pathWithQuery = rawUrl.slice(MOUNT.length);
  const q = pathWithQuery.indexOf('?');
  return {
    pathWithQuery,
    path: q < 0 ? pathWithQuery : pathWithQuery.slice(0, q),
    query: q < 0 ? '' : pathWithQuery.slice(q + 1),
  };
}
