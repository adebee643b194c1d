import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * A clone must stand on its own: no test, script, benchmark or source file may reach a path outside
 * the repository (CI's clone has nothing beside it; facts from the shared docs live in test/fixtures/).
 * Every relative path literal is resolved against its file's folder; one that leaves the root fails.
 */

const ROOT = resolve(import.meta.dirname, '../../..');
const SCANNED = /^(main|preload|renderer|test|scripts|bench|bin|\.ci)\/.*\.(ts|tsx|mjs|js|sh)$|^\.ci\/run$|^[^/]+\.(ts|mjs|json)$/;
const RELATIVE_LITERAL = /(["'`])(\.\.?\/[^"'`\s]*)\1/g;

/** Relative path literals in a source text that resolve outside the repository root. */
export function pathsOutside(text: string, file: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (/^\s*(\/\/|\*|#)/.test(line)) continue; // comments may cite where a fact came from
    for (const m of line.matchAll(RELATIVE_LITERAL)) {
      const target = resolve(ROOT, dirname(file), m[2]!);
      if (relative(ROOT, target).startsWith('..')) out.push(`${file}: ${m[2]!}`);
    }
    if (/\bshared\/(docs|reviews)\//.test(line)) out.push(`${file}: names shared/docs or shared/reviews`);
  }
  return out;
}

describe('the repository stands on its own', () => {
  test('no file reaches outside the repository', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((f) => SCANNED.test(f) && f !== 'test/unit/repo/self-contained.test.ts');
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((f) => pathsOutside(readFileSync(join(ROOT, f), 'utf8'), f));
    expect(found).toEqual([]);
  });

  test('the check itself catches a path outside, and leaves inside paths and comments alone', () => {
    // Built from parts so that this file itself names no folder outside the repository.
    const outside = ['..', '..', '..', '..', 'shared', 'docs', ''].join('/');
    expect(pathsOutside(`const DOCS = new URL('${outside}', import.meta.url);`, 'test/unit/session/load.ts')).toHaveLength(2);
    expect(pathsOutside("readFileSync(join(dir, '../../secret.json'))", 'scripts/x.mjs')).toHaveLength(1);
    expect(pathsOutside("import { a } from '../../../common/session/parse';", 'test/unit/session/load.ts')).toEqual([]);
    expect(pathsOutside('// Published vectors from shared/docs/yoti-api-notes.md §2', 'test/unit/yoti/signing.test.ts')).toEqual([]);
  });
});
