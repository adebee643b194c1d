import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { LocalError, UsageError } from '../../common/errors';
import { writeFileAtomic } from './store/atomic';
import { PRODUCTION_API_URL } from './yoti/client';
import { isYotiId } from '../../common/yoti-ids';
import { TeamConnectionSchema } from './team/connection';

/**
 * Settings shared by the app and the CLI (`<dataDir>/settings.json`, no secrets). The API URL is
 * production unless a person set another one here or on the command line: never from the environment.
 */
export const SettingsSchema = z.object({
  apiUrl: z.string().url().optional(),
  /**
   * The Yoti application (SDK ID) whose key signs the requests when several customer keys are stored;
   * with one, that one is used. The CLI's --sdk-id wins over it.
   */
  sdkId: z.string().refine(isYotiId, 'an SDK ID has only letters, digits and hyphens').optional(),
  /**
   * Hosts other than Yoti's API (core/yoti/api-hosts.ts) that a person allowed, in main's own dialog,
   * to receive requests signed with the customer key (host[:port], lower case).
   */
  trustedApiHosts: z.array(z.string().min(1).max(300)).max(50).optional(),
  /**
   * A PEM bundle of certificate authorities trusted, on top of Node's bundled roots, for requests
   * signed with the customer key (a TLS-inspecting corporate proxy): core/yoti/extra-ca.ts.
   */
  extraCaFile: z.string().min(1).max(4096).optional(),
  /** The most media one session may bring, in MiB (a fetch past it stops, keeping nothing). Unset: DEFAULT_MAX_SESSION_MEDIA_MIB. */
  maxSessionMediaMiB: z.number().int().min(1).max(1_048_576).optional(),
  faceMatchThreshold: z.number().min(0).max(1).default(0.7),
  /** Recorded, with the OS account, on every review record and audit entry. */
  reviewerName: z.string().max(200).optional(),
  /** The reviewer's role ("Senior reviewer, KYC"), recorded with the name on every review version and printed on its record. */
  reviewerRole: z.string().max(100).optional(),
  /** This workstation's name as the record prints it. Unset: the computer's host name. */
  workstation: z.string().max(200).optional(),
  /**
   * Days a fetched session's evidence (its JSON, media and seen-before entry: personal data) is kept
   * after it was first fetched, unless the session has its own retain-until. Unset means
   * DEFAULT_RETENTION_DAYS. The review record is kept apart, for recordRetentionDays.
   */
  retentionDays: z.number().int().min(1).max(36500).optional(),
  /**
   * Days a review record (every version, the evidence manifest it was decided on, what was viewed)
   * is kept after its last change. Unset means DEFAULT_RECORD_RETENTION_DAYS (5 years: UK MLR 2017
   * reg 40).
   */
  recordRetentionDays: z.number().int().min(1).max(36500).optional(),
  /**
   * The reviewer reason catalogue, on top of the built-in one (main/core/review/reasons.ts): entries
   * with a new code are added; an entry with an existing code replaces its text; `disabled: true`
   * removes a code from the choices (records that used it keep their text).
   */
  reviewReasons: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, 'a reason code is 2-64 characters A-Z, 0-9 and _'),
        text: z.string().min(1).max(500).optional(),
        disabled: z.boolean().optional(),
      }),
    )
    .max(500)
    .optional(),
  /**
   * The team database this workstation joined (`idv-review team connect`), without its password
   * (that is in the OS keychain). Unset: no team mode; everything works on this workstation alone.
   */
  team: TeamConnectionSchema.optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

/**
 * Evidence retention when settings.retentionDays is unset: 30 days after the first fetch (the
 * personal data Yoti sent is kept no longer than the review needs; a firm that must keep the images
 * themselves sets retentionDays or a per-session retain-until).
 */
export const DEFAULT_RETENTION_DAYS = 30;

/** The most media one session may bring when settings.maxSessionMediaMiB is unset: 1 GiB (a session is usually a few MiB). */
export const DEFAULT_MAX_SESSION_MEDIA_MIB = 1024;

/**
 * Record retention when settings.recordRetentionDays is unset: 1,826 days (5 years) after the
 * record's last change. UK MLR 2017 reg 40 asks for CDD records to be kept 5 years after the business
 * relationship ends; a firm whose relationships outlast the review sets a longer period.
 */
export const DEFAULT_RECORD_RETENTION_DAYS = 1826;

export function effectiveRetentionDays(settings: Pick<Settings, 'retentionDays'>): number {
  return settings.retentionDays ?? DEFAULT_RETENTION_DAYS;
}

export function effectiveRecordRetentionDays(settings: Pick<Settings, 'recordRetentionDays'>): number {
  return settings.recordRetentionDays ?? DEFAULT_RECORD_RETENTION_DAYS;
}

const settingsPath = (dataDir: string) => join(dataDir, 'settings.json');

export async function loadSettings(dataDir: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(settingsPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return SettingsSchema.parse({});
    throw new LocalError('SETTINGS_UNREADABLE', `Cannot read ${settingsPath(dataDir)}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new LocalError('SETTINGS_DAMAGED', `${settingsPath(dataDir)} is not valid JSON; fix or delete it.`);
  }
  const parsed = SettingsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LocalError(
      'SETTINGS_DAMAGED',
      `${settingsPath(dataDir)}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}; fix or delete it.`,
    );
  }
  return parsed.data;
}

export async function saveSettings(dataDir: string, settings: Settings): Promise<void> {
  const valid = SettingsSchema.parse(settings);
  await writeFileAtomic(settingsPath(dataDir), `${JSON.stringify(valid, null, 2)}\n`);
}

/** The API base URL in force: an explicit flag, else the saved setting, else production. */
export function resolveApiUrl(flag: string | undefined, settings: Settings): string {
  const chosen = flag ?? settings.apiUrl ?? PRODUCTION_API_URL;
  let url: URL;
  try {
    url = new URL(chosen);
  } catch {
    throw new UsageError('INVALID_API_URL', `"${chosen}" is not a URL (expected e.g. ${PRODUCTION_API_URL}).`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** The media bytes one session may bring: settings.maxSessionMediaMiB, or DEFAULT_MAX_SESSION_MEDIA_MIB (1 GiB). */
export function maxSessionMediaBytes(settings: Pick<Settings, 'maxSessionMediaMiB'>): number {
  return (settings.maxSessionMediaMiB ?? DEFAULT_MAX_SESSION_MEDIA_MIB) * 1024 * 1024;
}
