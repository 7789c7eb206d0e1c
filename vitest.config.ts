import { defineConfig } from 'vitest/config';

// GPU tests share one software adapter (lavapipe) on a 2-core machine: running test files in
// parallel makes every timing-shaped assertion flaky and adds nothing but contention.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
