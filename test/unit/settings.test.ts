import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { defaultDataDir } from '../../main/core/paths';
import { loadSettings, resolveApiUrl, saveSettings } from '../../main/core/settings';
import { PRODUCTION_API_URL } from '../../main/core/yoti/client';

const dir = () => mkdtempSync(join(tmpdir(), 'idv-settings-'));

describe('settings', () => {
  test('defaults when there is no file; saved values round-trip', async () => {
    const d = dir();
    expect(await loadSettings(d)).toEqual({ faceMatchThreshold: 0.7 });
    await saveSettings(d, { faceMatchThreshold: 0.8, apiUrl: 'http://127.0.0.1:9000/idverify/v1', reviewerName: 'R. Viewer' });
    expect(await loadSettings(d)).toEqual({ faceMatchThreshold: 0.8, apiUrl: 'http://127.0.0.1:9000/idverify/v1', reviewerName: 'R. Viewer' });
  });

  test('a damaged file is a clear local error, never silently replaced', async () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), '{"faceMatchThreshold": 7}');
    await expect(loadSettings(d)).rejects.toMatchObject({ code: 'SETTINGS_DAMAGED', kind: 'local', message: expect.stringContaining('faceMatchThreshold') });
    writeFileSync(join(d, 'settings.json'), '{oops');
    await expect(loadSettings(d)).rejects.toMatchObject({ code: 'SETTINGS_DAMAGED' });
  });

  test('the API URL: the flag, else the setting, else production; never the environment', () => {
    const env = process.env;
    process.env = { ...env, YOTI_IDV_API: 'https://attacker.example/idverify/v1', YOTI_IDV_API_URL: 'https://attacker.example/x' };
    try {
      expect(resolveApiUrl(undefined, { faceMatchThreshold: 0.7 })).toBe(PRODUCTION_API_URL);
      expect(resolveApiUrl(undefined, { faceMatchThreshold: 0.7, apiUrl: 'http://127.0.0.1:1/idverify/v1/' })).toBe('http://127.0.0.1:1/idverify/v1');
      expect(resolveApiUrl('http://localhost:2/idverify/v1', { faceMatchThreshold: 0.7, apiUrl: 'http://127.0.0.1:1/x' })).toBe('http://localhost:2/idverify/v1');
    } finally {
      process.env = env;
    }
    expect(() => resolveApiUrl('not a url', { faceMatchThreshold: 0.7 })).toThrow(/not a URL/);
  });
});

describe('data folder', () => {
  test('IDV_REVIEW_HOME wins; otherwise the app data folder on each platform', () => {
    expect(defaultDataDir({ IDV_REVIEW_HOME: '/data/idv' }, 'linux', '/home/r')).toBe('/data/idv');
    expect(defaultDataDir({}, 'linux', '/home/r')).toBe('/home/r/.config/IDV Review Console');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/r')).toBe('/cfg/IDV Review Console');
    expect(defaultDataDir({}, 'darwin', '/Users/r')).toBe('/Users/r/Library/Application Support/IDV Review Console');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\r\\AppData\\Roaming' }, 'win32', 'C:\\Users\\r')).toContain('IDV Review Console');
  });
});
