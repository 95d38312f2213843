import { defineConfig } from 'vitest/config';

/** The long suites (crash safety under SIGKILL): `npm run test:long`, run by .ci/run after `npm test`. */
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
