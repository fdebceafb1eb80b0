import { defineConfig } from 'vitest/config';

// Tests import the built packages (npm test builds first), exactly as users do.
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    teardownTimeout: 10_000,
  },
});
