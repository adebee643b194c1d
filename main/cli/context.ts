import { KeyVault } from '../core/keys/key-vault';
import { KeytarSecretStore } from '../core/keys/secret-store';
import { defaultDataDir } from '../core/paths';
import { openOfflineStoreFor, type OfflineStore } from '../core/store/offline-store';
import { loadSettings, resolveApiUrl, saveSettings, type Settings } from '../core/settings';
import type { TeamService } from '../core/team/team-service';
import type { SessionStore } from '../core/store/session-store';
import { IdvClient } from '../core/yoti/client';
import { apiHost, isLoopbackApiUrl, isYotiApiUrl } from '../core/yoti/api-hosts';
import { readExtraCa } from '../core/yoti/extra-ca';
import { ignoredTlsEnvironment } from '../core/yoti/http';
import { Output, type CliIo } from './io';

/** The services a command needs, built on first use so that `--help` touches nothing. */
export class CliContext {
  readonly out: Output;
  readonly dataDir: string;
  private vaultPromise?: Promise<KeyVault>;
  private offlinePromise?: Promise<OfflineStore>;
  private settingsPromise?: Promise<Settings>;
  private teamService?: TeamService;

  constructor(readonly io: CliIo) {
    this.out = new Output(io);
    this.dataDir = defaultDataDir(io.env);
  }

  vault(): Promise<KeyVault> {
    this.vaultPromise ??= Promise.resolve(new KeyVault({ secrets: new KeytarSecretStore(), dataDir: this.dataDir }));
    return this.vaultPromise;
  }

  /** The encrypted cache alone (inside the offline store). */
  async store(): Promise<SessionStore> {
    return (await this.offline()).sessions;
  }

  /**
   * The offline store (cache, review records, audit log, retention, seen-before) with this person's
   * identity; opening it finishes whatever an interrupted process left (see store/offline-store.ts).
   */
  offline(): Promise<OfflineStore> {
    this.offlinePromise ??= (async () =>
      openOfflineStoreFor({ dataDir: this.dataDir, vault: await this.vault(), settings: await this.settings() }))();
    this.offlinePromise.catch(() => {
      this.offlinePromise = undefined;
    });
    return this.offlinePromise;
  }

  /**
   * A store opened only to check it (`audit verify`): this data folder, or another one (a backup, a
   * read-only copy). Nothing is written to it, not even the lock.
   */
  async checkOnly(dataDir: string = this.dataDir): Promise<OfflineStore> {
    const vault = dataDir === this.dataDir ? await this.vault() : new KeyVault({ secrets: new KeytarSecretStore(), dataDir });
    return openOfflineStoreFor({ dataDir, vault, settings: dataDir === this.dataDir ? await this.settings() : await loadSettings(dataDir), readOnly: true });
  }

  /**
   * Team mode's services (core/team/team-service.ts), loaded on first use so that commands outside
   * team mode never load the database driver; settings read afresh, as `team connect` changes them.
   */
  async team(): Promise<TeamService> {
    const { TeamService } = await import('../core/team/team-service');
    this.teamService ??= new TeamService({
      dataDir: this.dataDir,
      settings: () => loadSettings(this.dataDir),
      saveSettings: (s) => saveSettings(this.dataDir, s),
      secrets: new KeytarSecretStore(),
      outboxKey: async () => (await this.vault()).subkey('team'),
      extraCa: async () => {
        const file = (await this.settings()).extraCaFile;
        return file === undefined ? undefined : (await readExtraCa(file)).pem;
      },
    });
    return this.teamService;
  }

  settings(): Promise<Settings> {
    this.settingsPromise ??= loadSettings(this.dataDir);
    return this.settingsPromise;
  }

  /**
   * A signed client against the API URL in force, for the SDK ID given, else the key chosen in the
   * app's Settings (when it is still stored), else the only stored key.
   */
  async client(flags: { sdkId?: string; apiUrl?: string }): Promise<{ client: IdvClient; sdkId: string; apiUrl: string }> {
    const vault = await this.vault();
    const settings = await this.settings();
    const sdkId = await vault.resolveSdkId(flags.sdkId, settings.sdkId);
    const apiUrl = resolveApiUrl(flags.apiUrl, settings);
    for (const line of ignoredTlsEnvironment(this.io.env)) this.out.warn(line);
    // The person's own choice on the command line: said, not refused (a server on this computer is not worth a line).
    if (!isYotiApiUrl(apiUrl) && !isLoopbackApiUrl(apiUrl) && !(settings.trustedApiHosts ?? []).includes(apiHost(apiUrl))) {
      this.out.warn(`Requests signed with your key go to ${apiHost(apiUrl)}, which is not Yoti's API, because --api-url or the settings name it.`);
    }
    const ca = settings.extraCaFile === undefined ? undefined : await readExtraCa(settings.extraCaFile);
    if (ca !== undefined) this.out.warn(`Also trusting ${ca.certificates} certificate authorit${ca.certificates === 1 ? 'y' : 'ies'} from settings.extraCaFile for requests signed with your key.`);
    const client = new IdvClient({ sdkId, key: await vault.loadKey(sdkId), baseUrl: apiUrl, ...(ca === undefined ? {} : { ca: ca.pem }) });
    return { client, sdkId, apiUrl };
  }
}
