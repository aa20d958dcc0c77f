import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { SettingsError } from '../../src/main/config/settings-error.js';
import { defaultDataDir } from '../../src/main/config/data-dir.js';
import { maskSettings, maskUri, parseEnvValue } from '../../src/shared/settings.js';

describe('resolveSettings', () => {
  it('applies defaults when nothing is set', () => {
    const s = resolveSettings({ env: {} });
    expect(s.maricopaApiBaseUrl).toBe('https://mcassessor.maricopa.gov');
    expect(s.maricopaRateLimitPerMinute).toBe(60);
    expect(s.openaiModel).toBe('gpt-4o-mini');
    expect(s.targetZipCodes).toEqual(['85031', '85033', '85035']);
    expect(s.mongodbUri).toBeUndefined();
  });

  it('layers file < document < .env < environment', () => {
    const s = resolveSettings({
      file: { path: '/data/settings.json', values: { openaiModel: 'from-file', monthlyBudgetUsd: 10, llmDailyBudgetUsd: 2 } },
      document: { openaiModel: 'from-document', monthlyBudgetUsd: 20 },
      dotenv: { path: '/app/.env', values: { OPENAI_MODEL: 'from-dotenv', MARICOPA_RATE_LIMIT_PER_MINUTE: '30' } },
      env: { OPENAI_MODEL: 'from-env' },
    });
    expect(s.openaiModel).toBe('from-env');
    expect(s.monthlyBudgetUsd).toBe(20);
    expect(s.llmDailyBudgetUsd).toBe(2);
    expect(s.maricopaRateLimitPerMinute).toBe(30);
  });

  it('parses lists and numbers from the environment', () => {
    const s = resolveSettings({ env: { TARGET_ZIP_CODES: '85001, 85002', LLM_DAILY_BUDGET_USD: '0.5' } });
    expect(s.targetZipCodes).toEqual(['85001', '85002']);
    expect(s.llmDailyBudgetUsd).toBe(0.5);
  });

  it('names the setting, its origin and the reason for an invalid value', () => {
    expect(() => resolveSettings({ env: { MARICOPA_RATE_LIMIT_PER_MINUTE: 'fast' } })).toThrowError(
      /MARICOPA_RATE_LIMIT_PER_MINUTE from the environment: must be a number \(got "fast"\)/,
    );
    expect(() =>
      resolveSettings({ env: {}, file: { path: '/d/settings.json', values: { maricopaApiBaseUrl: 'ftp://x' } } }),
    ).toThrowError(/MARICOPA_API_BASE_URL from \/d\/settings.json: must be an http\(s\) URL/);
    expect(() => resolveSettings({ env: { TARGET_ZIP_CODES: '85031,8503' } })).toThrowError(/TARGET_ZIP_CODES\[1\] from the environment: "8503" is not a 5-digit ZIP code\./);
  });

  it('never repeats a secret in its error', () => {
    let message = '';
    try {
      resolveSettings({ env: { PHOENIX_HTTP_TOKEN: 'short-secret' } });
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PHOENIX_HTTP_TOKEN/);
    expect(message).not.toContain('short-secret');
  });

  it('reads settings.json by the names the README and the console use, text read as the environment reads it', () => {
    const file = (values: Record<string, unknown>) => ({ path: '/s.json', values: values as never });
    expect(resolveSettings({ env: {}, file: file({ TARGET_ZIP_CODES: '85031, 85033' }) }).targetZipCodes).toEqual(['85031', '85033']);
    expect(resolveSettings({ env: {}, file: file({ TARGET_ZIP_CODES: ['85035'] }) }).targetZipCodes).toEqual(['85035']);
    expect(resolveSettings({ env: {}, file: file({ targetZipCodes: ['85035'] }) }).targetZipCodes).toEqual(['85035']);
    expect(() => resolveSettings({ env: {}, file: file({ TARGET_ZIP_CODES: '8503' }) })).toThrowError(/TARGET_ZIP_CODES.*\/s.json.*"8503" is not a 5-digit ZIP code/s);
  });

  it('refuses unknown keys in the file and secrets or bootstrap keys in the document', () => {
    expect(() => resolveSettings({ env: {}, file: { path: '/s.json', values: { nope: 1 } as never } })).toThrowError(/Unknown setting "nope" in \/s.json. Known: .*TARGET_ZIP_CODES/);
    expect(() => resolveSettings({ env: {}, document: { openaiApiKey: 'x' } })).toThrowError(/OPENAI_API_KEY cannot be stored/);
    expect(() => resolveSettings({ env: {}, document: { mongodbUri: 'mongodb://x' } })).toThrowError(/MONGODB_URI cannot be stored/);
  });
});

describe('the queue lease against the LLM timeout', () => {
  it('refuses a lease shorter than OPENAI_TIMEOUT_MS + 5 s, naming both settings and the least that works', () => {
    expect(() => resolveSettings({ env: { QUEUE_LEASE_MS: '8000' } })).toThrow(
      /QUEUE_LEASE_MS from the environment: .*OPENAI_TIMEOUT_MS 60000 ms.*at least 65000/,
    );
    expect(() => resolveSettings({ env: { QUEUE_LEASE_MS: '64999' } })).toThrow(SettingsError);
    expect(resolveSettings({ env: { QUEUE_LEASE_MS: '65000' } }).queueLeaseMs).toBe(65_000);
    expect(resolveSettings({ env: { QUEUE_LEASE_MS: '8000', OPENAI_TIMEOUT_MS: '3000' } }).queueLeaseMs).toBe(8_000);
  });
});

describe('masking', () => {
  it('masks URI passwords and secret values', () => {
    expect(maskUri('mongodb+srv://ana:p%40ss@cluster0.example.net/db')).toBe('mongodb+srv://ana:***@cluster0.example.net/db');
    expect(maskUri('mongodb://127.0.0.1:27017/db')).toBe('mongodb://127.0.0.1:27017/db');
    const s = resolveSettings({ env: { OPENAI_API_KEY: 'sk-test-abcdef', MONGODB_URI: 'mongodb://u:pw@h/db' } });
    const masked = maskSettings(s);
    expect(masked.openaiApiKey).toBe('(set)');
    expect(masked.maricopaApiToken).toBeUndefined();
    expect(masked.mongodbUri).toBe('mongodb://u:***@h/db');
    expect(JSON.stringify(masked)).not.toContain('sk-test-abcdef');
  });

  it('parses booleans-like and numbers from strings', () => {
    expect(parseEnvValue('maricopaTimeoutMs', ' 1500 ')).toBe(1500);
    expect(parseEnvValue('maricopaTimeoutMs', 'x')).toBe('x');
    expect(parseEnvValue('targetZipCodes', '')).toEqual([]);
  });
});

describe('defaultDataDir', () => {
  it("matches Electron's userData folder on each platform", () => {
    expect(defaultDataDir('linux', {}, '/home/ana')).toBe('/home/ana/.config/Phoenix RE Console');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/ana')).toBe('/x/Phoenix RE Console');
    expect(defaultDataDir('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/Phoenix RE Console');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Phoenix RE Console',
    );
  });
});
