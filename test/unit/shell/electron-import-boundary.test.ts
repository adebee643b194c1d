import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

/*
 * The lint rule that keeps `electron` out of everything but main/shell and preload (a runtime import
 * elsewhere would also break every unit test, which run in plain Node). Linted as the text of real
 * project files, so the type-aware configuration applies exactly as in `npm run lint`.
 */
const RULE = '@typescript-eslint/no-restricted-imports';
const eslint = new ESLint({ cwd: process.cwd() });

async function fires(code: string, filePath: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).some((m) => m.ruleId === RULE);
}

describe('electron import boundary', { timeout: 60_000 }, () => {
  test('a runtime import of electron outside main/shell and preload is an error', async () => {
    expect(await fires("import { app } from 'electron';\nexport const x = app;\n", 'main/ipc/handlers.ts')).toBe(true);
    expect(await fires("import { app } from 'electron';\nexport const x = app;\n", 'main/core/settings.ts')).toBe(true);
    expect(await fires("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'main/index.ts')).toBe(true);
    expect(await fires("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'renderer/src/main.tsx')).toBe(true);
    expect(await fires("import { ipcMain } from 'electron/main';\nexport const x = ipcMain;\n", 'main/ipc/compose.ts')).toBe(true);
  });

  test('main/shell and preload may import it; type-only imports are fine anywhere', async () => {
    expect(await fires("import { app } from 'electron';\nexport const x = app;\n", 'main/shell/app.ts')).toBe(false);
    expect(await fires("import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'preload/index.ts')).toBe(false);
    expect(await fires("import type { WebPreferences } from 'electron';\nexport type X = WebPreferences;\n", 'main/ipc/handlers.ts')).toBe(false);
  });
});
