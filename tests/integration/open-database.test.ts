import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import { DEFAULT_MONGODB_URI, pingDatabase } from '../../src/main/db/connection.js';
import { openDatabase } from '../../src/main/db/open-database.js';
import { memoryLogger } from '../support/logger.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-open-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('openDatabase with no MONGODB_URI', () => {
  it('starts a local server in the data folder, which a second process reuses', async (ctx) => {
    if (await pingDatabase(DEFAULT_MONGODB_URI)) ctx.skip('a server answers at the default URI on this machine');
    const settings = resolveSettings({ env: {} });
    const { logger } = memoryLogger();
    const first = await openDatabase({ settings, dataDir, logger });
    try {
      expect(first.origin).toBe('local-started');
      expect(first.local?.dataDir.startsWith(path.join(dataDir, 'db'))).toBe(true);
      await first.connection.db.collection('runs').insertOne({ _id: 'kept' } as never);

      const second = await openDatabase({ settings, dataDir, logger });
      expect(second.origin).toBe('local-reused');
      expect(await second.connection.db.collection('runs').countDocuments({ _id: 'kept' } as never)).toBe(1);
      await second.close();
      expect(await pingDatabase(first.connection.uri)).toBe(true);
    } finally {
      await first.close();
    }
    expect(await pingDatabase(first.connection.uri, 300)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'db', 'server.json'))).toBe(false);
  });

  it('refuses to start one when PHOENIX_LOCAL_DATABASE=off, saying what to set', async (ctx) => {
    if (await pingDatabase(DEFAULT_MONGODB_URI)) ctx.skip('a server answers at the default URI on this machine');
    const settings = resolveSettings({ env: { PHOENIX_LOCAL_DATABASE: 'off' } });
    await expect(openDatabase({ settings, dataDir, logger: memoryLogger().logger })).rejects.toThrowError(/Set MONGODB_URI/);
  });
});
