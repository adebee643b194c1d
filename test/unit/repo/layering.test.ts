import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

/**
 * The layering rule of eslint.config.mjs, proven on code that crosses the line: the page (renderer/)
 * takes from outside its folder only common/ and the preload's types; common/ loads no Node, no
 * Electron, no DOM. Each case lints a real file's path with other text, as an edit would.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictions(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-globals' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const PAGE = 'renderer/src/app/TopBar.tsx';
const COMMON = 'common/session/words.ts';

describe('where a file lives says where it can run', () => {
  test('the page may import common/ and the preload as types', async () => {
    expect(await restrictions(PAGE, "import type { SessionView } from '../../../common/ipc/contract';\nimport { overallWords } from '../../../common/session/overall';\nimport type { Invoke } from '../../../preload/create-api';\nexport type X = [SessionView, Invoke, typeof overallWords];\n")).toEqual([]);
  });

  test.each([
    ['main/', "import { defaultDataDir } from '../../../main/core/paths';\nexport const x = defaultDataDir;\n", 'main/ runs in Node'],
    ['a preload value', "import { createApi } from '../../../preload/create-api';\nexport const x = createApi;\n", 'only types'],
    ['node:fs', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n", 'no Node'],
    ['a bare Node built-in', "import { join } from 'path';\nexport const x = join;\n", 'A Node built-in'],
    ['electron', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n", 'never loads electron'],
  ])('the page importing %s is an error', async (_name, code, words) => {
    const messages = await restrictions(PAGE, code);
    expect(messages.length).toBe(1);
    expect(messages[0]).toContain(words);
  });

  test.each([
    ['node:fs', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", 'no Node built-ins'],
    ['electron', "import { app } from 'electron';\nexport const x = app;\n", 'no Electron'],
    ['main/', "import { defaultDataDir } from '../../main/core/paths';\nexport const x = defaultDataDir;\n", 'imports only from common/'],
    ['renderer/', "import { App } from '../../renderer/src/app/App';\nexport const x = App;\n", 'imports only from common/'],
    ['Buffer', 'export const x = Buffer.byteLength("a");\n', 'Buffer exists in only one'],
    ['document', 'export const x = document.title;\n', 'document exists in only one'],
    ['process', 'export const x = process.platform;\n', 'process exists in only one'],
  ])('common/ reaching for %s is an error', async (_name, code, words) => {
    const messages = await restrictions(COMMON, code);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(messages.join('\n')).toContain(words);
  });

  test('neutral code in common/ passes', async () => {
    expect(await restrictions(COMMON, "import * as z from 'zod';\nimport { AppError } from '../errors';\nexport const x = [z.string(), AppError, new TextEncoder()];\n")).toEqual([]);
  });

  test('zod is imported as a namespace, which a bundle can tree-shake (`{ z }` keeps all of zod)', async () => {
    const messages = await restrictions(COMMON, "import { z } from 'zod';\nexport const x = z.string();\n");
    expect(messages).toEqual([expect.stringContaining("import * as z from 'zod'")]);
  });
});
