import { defineConfig } from 'vitest/config';

// The suites that exercise the mutated folders in-process (Stryker cannot follow mutants into child
// processes, the keychain harness or the browser), so sc-admin process tests, keychain, packaging,
// reliability and e2e suites are left to `npm test`.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts'],
    exclude: ['test/integration/sc-admin.test.ts', 'test/e2e/**', 'node_modules/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
