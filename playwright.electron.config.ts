import { defineConfig } from '@playwright/test';

/**
 * The Electron suite (test/e2e-electron, `npm run test:electron`): the built app launched with Playwright's
 * `_electron`, one isolated `--data-dir` per test. Not part of `npm test`: it needs the Electron binary,
 * which cannot be downloaded on the project's build machines; without it the run fails at once and says
 * so. SC_ELECTRON_EXECUTABLE=<path> runs it against a packaged test-flavour build instead (see README).
 */
process.env.SC_E2E_TARGET ??= 'electron';

export default defineConfig({
  testDir: 'test/e2e-electron',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e-electron/global-setup.ts',
  outputDir: 'test-results/electron',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  forbidOnly: Boolean(process.env.CI),
  use: { screenshot: 'only-on-failure', trace: 'retain-on-failure' },
});
