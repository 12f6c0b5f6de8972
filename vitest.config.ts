import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { compiledCatalogs } from './tools/i18n/catalogs';

export default defineConfig({
  // Renderer modules under test get their catalogs as the build compiles them (a test may read one whole).
  plugins: [compiledCatalogs({ wholeCatalogs: 'source' })],
  // As in vite.config.ts: renderer modules under test import the contract by its alias.
  resolve: { alias: { '@contract': fileURLToPath(new URL('./main/contract', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
    tags: [
      {
        name: 'child-process',
        description:
          'Runs sc-admin or the emulator as a process of its own: a mutant in this process never reaches it, so the mutation run (vitest.mutation.config.ts) leaves it out.',
      },
    ],
  },
});
