import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** Suites that need a fresh module graph: their own vi.mock of a shared module, or a pristine import. */
const NEEDS_OWN_MODULES = [
  'test/security/password-hash.security.test.ts',
  // Wraps openid-client's builder of the authorization URL.
  'test/security/sso-authorization-url.security.test.ts',
  // Reads the English catalog, whose shared object another suite's i18n setup turns into compiled messages.
  'test/unit/error-vocabulary.test.ts',
];

// The suites that exercise the mutated folders in-process (Stryker cannot follow mutants into child
// processes, the keychain harness or the browser), so the keychain, packaging, reliability and e2e
// suites, and every test tagged `child-process` (sc-admin or the emulator as a process), are left to
// `npm test`.
//
// Speed (README › Mutation testing): Stryker runs the tests covering each mutant, file by file. With
// `isolate: false` one worker evaluates the module graph (core, SQLite, migrations) once per mutant rather
// than once per test file; the suites above keep isolation. argon2id runs at its cheapest (the setup file).
// A mutant that leaves a promise unsettled fails its test after 20 s (about twice the slowest test, with
// coverage, on a loaded machine) rather than waiting for Stryker's time-out, which also restarts the runner.
// The fast first pass (README › Mutation testing): SC_MUTATION_TESTS narrows the suites to a comma-separated list
// of files or globs, the quick unit suites of the mutated file. Stryker's incremental file keeps every mutant
// they kill (by test name); the second pass, without the variable, runs only the rest against every suite.
const narrowedTo = process.env.SC_MUTATION_TESTS?.split(',')
  .map((entry) => entry.trim())
  .filter((entry) => entry.length > 0);
const within = (files: string[]) => (narrowedTo ? files.filter((file) => narrowedTo.includes(file)) : files);

export default defineConfig({
  // The catalogs' compile step (messages by area), as in vitest.config.ts: suites import them through it.
  plugins: base.plugins,
  resolve: base.resolve,
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Skipped here (they show as skipped), run by `npm test`.
    tags: base.test?.tags?.map((tag) => (tag.name === 'child-process' ? { ...tag, skip: true } : tag)),
    // Cheap argon2id for this run only: see the file.
    setupFiles: ['test/support/cheap-argon2.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'shared-modules',
          include: narrowedTo ?? [
            'test/unit/**/*.test.ts',
            'test/integration/**/*.test.ts',
            'test/security/**/*.test.ts',
            // The log's redaction (main/core/log-line.ts) is tested with the shell's log writer.
            'test/shell/logging.security.test.ts',
          ],
          exclude: ['test/integration/sc-admin.test.ts', ...NEEDS_OWN_MODULES],
          isolate: false,
        },
      },
      ...(within(NEEDS_OWN_MODULES).length > 0
        ? [{ extends: true, test: { name: 'own-modules', include: within(NEEDS_OWN_MODULES), isolate: true } }]
        : []),
    ],
  },
});
