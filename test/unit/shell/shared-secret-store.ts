import type * as SecretStoreModule from '../../../main/core/keys/secret-store';

/**
 * The secret-store module with KeytarSecretStore replaced by one in-memory keychain shared by every
 * instance: main/shell/app.ts opens its own, and the test reads the same store with another. Used as
 * `vi.mock('…/secret-store', async (orig) => (await import('./shared-secret-store')).sharedSecretStore(orig))`.
 */
export async function sharedSecretStore(importOriginal: () => Promise<typeof SecretStoreModule>): Promise<typeof SecretStoreModule> {
  const actual = await importOriginal();
  const shared = new actual.MemorySecretStore();
  class SharedSecretStore implements SecretStoreModule.SecretStore {
    get = (account: string) => shared.get(account);
    set = (account: string, secret: string) => shared.set(account, secret);
    delete = (account: string) => shared.delete(account);
  }
  return { ...actual, KeytarSecretStore: SharedSecretStore as unknown as typeof actual.KeytarSecretStore };
}
