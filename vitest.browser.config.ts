import { defineConfig } from 'vitest/config';

/** Real-Chromium tests of the moderator page (`npm run test:browser`); one file at a time, one browser. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
