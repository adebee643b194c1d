import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

/*
 * electron-builder.yml, validated offline with the packager's own schema check (an internal path of
 * app-builder-lib: keep electron-builder pinned), plus the values that matter for security.
 */
const require = createRequire(import.meta.url);
interface BuilderConfig {
  [key: string]: unknown;
  files?: Array<string | { filter?: string[] }>;
  asar?: boolean;
  asarUnpack?: string[];
  npmRebuild?: boolean;
  nodeGypRebuild?: boolean;
  buildDependenciesFromSource?: boolean;
  electronFuses?: Record<string, boolean>;
  extraResources?: Array<{ from: string; to: string }>;
  mac?: { hardenedRuntime?: boolean; notarize?: boolean; entitlements?: string };
  linux?: { target?: string[] };
  win?: { target?: string[] };
  productName?: string;
  appId?: string;
}
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig: (projectDir: string, configPath: string | null, configFromOptions: unknown) => Promise<BuilderConfig>;
  validateConfiguration: (config: BuilderConfig, debugLogger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = process.cwd();
const load = () => getConfig(root, 'electron-builder.yml', null);

describe('electron-builder.yml', () => {
  test('passes the packager schema validation', async () => {
    await expect(load().then((c) => validateConfiguration(c, new DebugLogger(false)))).resolves.toBeUndefined();
  });

  test('the validation does catch mistakes (typo, wrong type)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idv-builder-'));
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    writeFileSync(join(dir, 'typo.yml'), yml.replace('npmRebuild: false', 'npmRebuild: "no"'));
    await expect(getConfig(root, join(dir, 'typo.yml'), null).then((c) => validateConfiguration(c, new DebugLogger(false)))).rejects.toThrow(/npmRebuild/);
    writeFileSync(join(dir, 'key.yml'), yml.replace('  target:\n    - nsis', '  targett:\n    - nsis'));
    await expect(getConfig(root, join(dir, 'key.yml'), null).then((c) => validateConfiguration(c, new DebugLogger(false)))).rejects.toThrow(/configuration\.win/);
  });

  test('fuses', async () => {
    expect((await load()).electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  test('packaging: bundles only, asar, keytar unpacked, no native rebuilds, fonts', async () => {
    const c = await load();
    expect(c.productName).toBe('IDV Review Console');
    expect(c.appId).toMatch(/^[a-z0-9.-]+$/);
    // getConfig normalises `files` into one { filter } entry.
    const patterns = (c.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
    expect(patterns.filter((f) => !f.startsWith('!'))).toEqual(['out/**', 'package.json']);
    expect(c.asar).toBe(true);
    expect(c.asarUnpack).toEqual(['**/node_modules/@github/keytar/**', '**/node_modules/sharp/**', '**/node_modules/@img/**']);
    expect(c.npmRebuild).toBe(false);
    expect(c.nodeGypRebuild).toBe(false);
    expect(c.buildDependenciesFromSource).toBe(false);
    expect(c.extraResources).toEqual([expect.objectContaining({ from: 'assets/fonts', to: 'fonts' })]);
  });

  test('targets; macOS hardened runtime, entitlements and notarization (credentials from the environment only)', async () => {
    const c = await load();
    expect(c.linux?.target).toEqual(['AppImage', 'deb']);
    expect(c.win?.target).toEqual(['nsis']);
    expect(c.mac).toMatchObject({ hardenedRuntime: true, notarize: true, entitlements: 'build/entitlements.mac.plist' });
    const plist = readFileSync(join(root, 'build', 'entitlements.mac.plist'), 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
    expect(plist).not.toContain('disable-library-validation');
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(yml).not.toMatch(/APPLE_(ID|APP_SPECIFIC_PASSWORD|API_KEY)\s*:/);
  });

  test('package.json points electron at the built main bundle', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main?: string };
    expect(pkg.main).toBe('out/main/index.js');
  });
});
