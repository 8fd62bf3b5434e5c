import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // fast-check's seed: pinned in `pnpm test`, fresh in `pnpm test:deep` (see the file).
    setupFiles: ['./vitest.setup.ts'],
  },
});
