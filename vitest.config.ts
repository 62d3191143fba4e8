import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // two files at once on a 2-core machine: the reliability and e2e files mostly wait on CLI child processes
    maxWorkers: 2,
  },
});
