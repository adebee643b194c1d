import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'IDV Review Console';

/**
 * The data folder shared by the desktop app and the CLI: Electron's `userData` for this product
 * (appData + productName), unless IDV_REVIEW_HOME names another one.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env.IDV_REVIEW_HOME;
  if (override && override.trim() !== '') return override;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(home, '.config'), APP_NAME);
}
