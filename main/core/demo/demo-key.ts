import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { KeyVault } from '../keys/key-vault';

/** The SDK ID under which demo mode keeps its own key pair (never a customer's). */
export const DEMO_SDK_ID = 'demo-0000-4000-8000-000000000001';

/**
 * The demo key is generated on first use and kept in the vault like any other key, so the CLI and
 * the app sign demo requests exactly as they sign real ones.
 */
export async function ensureDemoKey(vault: KeyVault): Promise<KeyObject> {
  const stored = await vault.list();
  if (!stored.some((k) => k.sdkId === DEMO_SDK_ID)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await vault.importKey(DEMO_SDK_ID, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  return vault.loadKey(DEMO_SDK_ID);
}
