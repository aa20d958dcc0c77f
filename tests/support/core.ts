import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings } from '../../src/main/config/resolve-settings.js';
import type { Clock } from '../../src/main/runtime/clock.js';
import { createCore, type Core } from '../../src/main/core/create-core.js';
import type { ScheduleTimers } from '../../src/main/scheduler/timers.js';
import type { ReportPathChooser } from '../../src/main/reports/report-delivery.js';
import { memoryLogger } from './logger.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export interface TestCore {
  core: Core;
  tdb: TestDatabase;
  dataDir: string;
  log: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

/** A real core over a fresh database (or `tdb`, shared by two cores) and data folder, with settings from `env`. */
export async function openTestCore(
  options: { env?: Record<string, string>; clock?: Clock; scheduleTimers?: ScheduleTimers; tdb?: TestDatabase; chooseReportPath?: ReportPathChooser } = {},
): Promise<TestCore> {
  const tdb = options.tdb ?? (await openTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-re-core-'));
  const env = { MONGODB_URI: tdb.uri, PHOENIX_DATA_DIR: dataDir, ...options.env };
  const settings = resolveSettings({ env });
  const log = memoryLogger();
  const core = createCore({
    settings,
    dataDir,
    logger: log.logger,
    db: tdb.db,
    client: tdb.client,
    uri: tdb.uri,
    ...(options.clock && { clock: options.clock }),
    ...(options.scheduleTimers && { scheduleTimers: options.scheduleTimers }),
    ...(options.chooseReportPath && { chooseReportPath: options.chooseReportPath }),
    settingsSources: { env },
  });
  return {
    core,
    tdb,
    dataDir,
    log,
    async close() {
      await core.close();
      if (!options.tdb) await tdb.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
