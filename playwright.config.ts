import { defineConfig } from '@playwright/test';

/**
 * The console in a real browser: Debian's Chromium (or BROWSER_EXECUTABLE_PATH) drives
 * `phoenix-re serve` against the simulators and a real database. Never `playwright install`.
 */
export default defineConfig({
  testDir: 'tests/e2e',
  globalSetup: './tests/e2e/global-setup.ts',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.BROWSER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    viewport: { width: 1400, height: 900 },
    trace: 'retain-on-failure',
  },
});
