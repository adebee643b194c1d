import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { KeyVault, SUBKEY_LABELS } from '../../../main/core/keys/key-vault';
import { MemorySecretStore } from '../../../main/core/keys/secret-store';
import { currentOsAccount, reviewerIdentity } from '../../../main/core/review/identity';
import { storeKeysFrom } from '../../../main/core/store/offline-store';

describe('store keys from the keychain data key', () => {
  test('one subkey per label, all different from the cache key and each other, stable across vaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idv-subkeys-'));
    try {
      const secrets = new MemorySecretStore();
      const keys = await storeKeysFrom(new KeyVault({ secrets, dataDir: dir }));
      const all = [keys.cache, keys.review, keys.audit, keys.seenBefore].map((k) => k.toString('hex'));
      expect(new Set(all).size).toBe(4);
      for (const k of [keys.cache, keys.review, keys.audit, keys.seenBefore]) expect(k.length).toBe(32);
      const again = await storeKeysFrom(new KeyVault({ secrets, dataDir: dir }));
      expect(again.audit.equals(keys.audit)).toBe(true);
      expect(SUBKEY_LABELS).toEqual(['review', 'audit', 'seen-before', 'team']);
      // @ts-expect-error only the known labels
      await expect(new KeyVault({ secrets, dataDir: dir }).subkey('pem')).rejects.toThrow(RangeError);
      // Another data key: other subkeys.
      const other = await storeKeysFrom(new KeyVault({ secrets: new MemorySecretStore(), dataDir: dir }));
      expect(other.audit.equals(keys.audit)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('reviewer identity', () => {
  test('the configured name (trimmed, optional) and the OS account', () => {
    const host = () => 'ws-042';
    expect(reviewerIdentity({ reviewerName: '  Ada Reviewer ' }, () => 'ada', host)).toEqual({ name: 'Ada Reviewer', osAccount: 'ada', workstation: 'ws-042' });
    expect(reviewerIdentity({ reviewerName: '   ' }, () => 'ada', host)).toEqual({ name: null, osAccount: 'ada', workstation: 'ws-042' });
    expect(reviewerIdentity({}, () => 'ada', () => '')).toEqual({ name: null, osAccount: 'ada' });
    expect(currentOsAccount().length).toBeGreaterThan(0);
  });

  test('role and workstation from the settings, one printable line each; the host name when no workstation is set', () => {
    expect(reviewerIdentity({ reviewerName: 'Ada', reviewerRole: ' Senior reviewer,\nKYC\u0007 ', workstation: ' Desk 7 ' }, () => 'ada', () => 'ws-042')).toEqual({
      name: 'Ada',
      osAccount: 'ada',
      role: 'Senior reviewer, KYC',
      workstation: 'Desk 7',
    });
    expect(reviewerIdentity({ reviewerRole: '  ', workstation: '' }, () => 'ada', () => 'ws-042')).toEqual({ name: null, osAccount: 'ada', workstation: 'ws-042' });
  });
});
