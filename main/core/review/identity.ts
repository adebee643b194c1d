import { hostname, userInfo } from 'node:os';
import type { ReviewerIdentity } from './record';

/**
 * Who is reviewing: the configured reviewer name (settings.reviewerName) and the operating-system
 * account, recorded together on every review version and audit entry (threat model T8); the role
 * and the workstation (settings, else the host name) on every review version, for its record.
 */
export function reviewerIdentity(
  settings: { reviewerName?: string; reviewerRole?: string; workstation?: string },
  osAccount: () => string = currentOsAccount,
  host: () => string = hostname,
): ReviewerIdentity {
  const name = oneLine(settings.reviewerName, 200);
  const role = oneLine(settings.reviewerRole, 100);
  const workstation = oneLine(settings.workstation, 200) ?? oneLine(host(), 200);
  return { name: name ?? null, osAccount: osAccount(), ...(role === undefined ? {} : { role }), ...(workstation === undefined ? {} : { workstation }) };
}

/** A setting as one printable line (controls become spaces), or undefined when empty. */
export function oneLine(value: string | undefined, max: number): string | undefined {
  // eslint-disable-next-line no-control-regex -- exactly the controls are what is replaced
  const line = value?.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, max);
  return line === undefined || line === '' ? undefined : line;
}

/** os.userInfo().username; falls back to USER / USERNAME, then "unknown" (containers without a passwd entry). */
export function currentOsAccount(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const name = userInfo().username;
    if (name) return name.slice(0, 256);
  } catch {
    // no passwd entry
  }
  return (env.USER ?? env.USERNAME ?? 'unknown').slice(0, 256);
}
