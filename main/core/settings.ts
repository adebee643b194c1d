import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LocalError, UsageError } from './errors';
import { writeFileAtomic } from './store/atomic';
import { PRODUCTION_API_URL } from './yoti/client';

/**
 * Settings shared by the app and the CLI (`<dataDir>/settings.json`, no secrets). The API URL is
 * production unless a person set another one here or on the command line: never from the environment.
 */
export const SettingsSchema = z.object({
  apiUrl: z.string().url().optional(),
  faceMatchThreshold: z.number().min(0).max(1).default(0.7),
  reviewerName: z.string().max(200).optional(),
  retentionDays: z.number().int().min(1).max(36500).optional(),
});
export type Settings = z.infer<typeof SettingsSchema>;

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
