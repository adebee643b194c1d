import { randomBytes } from 'node:crypto';
import { OfflineStore } from '../../main/core/store/offline-store';

/** The offline store the app fetches into (audited, one commit per fetch), with fresh random keys. */
export function benchStore(dataDir: string): Promise<OfflineStore> {
  const k = () => randomBytes(32);
  return OfflineStore.open({ dataDir, keys: { cache: k(), review: k(), audit: k(), seenBefore: k() }, reviewer: { name: 'Bench', osAccount: 'bench' } });
}
