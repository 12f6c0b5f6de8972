// Mutation testing of the security guards (`npm run mutation`, not part of `npm test`: it takes tens of
// minutes on two cores). Every surviving mutant is either killed by a new test or listed, with why it is
// harmless, in docs/threat-model.md.
import { fileURLToPath } from 'node:url';

// Each mutant's tests run in a fresh Vitest worker that imports the dependencies again (oidc-provider, zod,
// axios: seconds on a loaded machine); V8's code cache on disk, inherited by every worker, roughly halves it.
process.env.NODE_COMPILE_CACHE ??= fileURLToPath(new URL('.stryker/node-compile-cache', import.meta.url));

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Forks, as `npm test`: file-permissions tests set the process umask, which worker threads cannot.
  vitest: { configFile: 'vitest.mutation.config.ts', pool: 'forks' },
  mutate: [
    'main/core/auth/**/*.ts',
    'main/gateway/**/*.ts',
    'main/core/verify/**/*.ts',
    'main/core/sso/**/*.ts',
    'main/core/audit/**/*.ts',
    // The log's redaction: a code that slips through it lands in main.log.
    'main/core/log-line.ts',
  ],
  coverageAnalysis: 'perTest',
  // Module-level constants (messages, limits) would re-run the whole suite per mutant: hours on two cores.
  // The limits among them are pinned by name in the security tests instead (docs/threat-model.md).
  ignoreStatic: true,
  concurrency: 1,
  // Above the mutation config's 20 s test time-out: a mutant that leaves a promise unsettled fails that
  // test (killed) instead of timing out here, which would also restart the test runner (a minute on a
  // loaded machine).
  timeoutMS: 25_000,
  // The first run of every selected suite, with coverage, takes minutes on a loaded machine.
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.stryker/report.html' },
  jsonReporter: { fileName: '.stryker/report.json' },
  tempDirName: '.stryker/tmp',
  incremental: true,
  incrementalFile: '.stryker/incremental.json',
  thresholds: { high: 90, low: 80, break: null },
};
