import fs from 'node:fs';
import path from 'node:path';
import { readFileWithinSync } from '../collectors/import/bounded-read.js';
import { SETTINGS_FILE_LIMIT } from '../collectors/import/input-bounds.js';
import { isSecretSetting, SETTING_KEYS, type SettingKey, type SettingsLayer } from '../../shared/settings.js';

/** Encryption by the operating system's keychain: Electron's `safeStorage` in the app. */
export interface SecretCipher {
  isAvailable(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export const SECRETS_FILE_NAME = 'secrets.json';

/** What the secrets file may cost to read (input-bounds.ts): one over it reads as no stored secrets. */
const SECRETS_BOUND = { bytes: SETTINGS_FILE_LIMIT, what: 'a secrets file may hold (a real one is under 4 KB)' };

/**
 * Secrets the analyst enters in the console (API keys, tokens), kept in the data folder only
 * encrypted by `cipher` (a file readable by its owner only). Without a cipher (the headless
 * console) nothing is written: secrets come from the environment or `.env` there.
 */
export class SecretStore {
  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher | undefined,
  ) {}

  static inDataDir(dataDir: string, cipher: SecretCipher | undefined): SecretStore {
    return new SecretStore(path.join(dataDir, SECRETS_FILE_NAME), cipher);
  }

  get writable(): boolean {
    return this.cipher?.isAvailable() ?? false;
  }

  /** The stored secrets, decrypted; one that cannot be decrypted (another machine's) is left out. */
  read(): { values: SettingsLayer; unreadable: SettingKey[] } {
    const values: SettingsLayer = {};
    const unreadable: SettingKey[] = [];
    if (!this.writable) return { values, unreadable };
    for (const [key, encoded] of Object.entries(this.load())) {
      if (!SETTING_KEYS.includes(key as SettingKey) || !isSecretSetting(key as SettingKey)) continue;
      try {
        values[key as SettingKey] = this.cipher!.decrypt(Buffer.from(encoded, 'base64'));
      } catch {
        unreadable.push(key as SettingKey);
      }
    }
    return { values, unreadable };
  }

  /** Store (or with null, forget) one secret. */
  write(key: SettingKey, value: string | null): void {
    if (!this.writable) throw new Error('no encryption available to store secrets');
    if (!isSecretSetting(key)) throw new Error(`${key} is not a secret`);
    const all = this.load();
    if (value === null) delete all[key];
    else all[key] = this.cipher!.encrypt(value).toString('base64');
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  private load(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(readFileWithinSync(this.file, SECRETS_BOUND).toString('utf8'));
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }
}
