import { userInfo } from 'node:os';
import type { ReviewerIdentity } from './record';

/**
 * Who is reviewing: the configured reviewer name (settings.reviewerName) and the operating-system
 * account, recorded together on every review version and audit entry (threat model T8).
 */
export function reviewerIdentity(
  settings: { reviewerName?: string },
  osAccount: () => string = currentOsAccount,
): ReviewerIdentity {
  const name = settings.reviewerName?.trim();
  return { name: name === undefined || name === '' ? null : name.slice(0, 200), osAccount: osAccount() };
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
