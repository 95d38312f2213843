import { defineConfig } from 'vitest/config';

/** API suites that must behave the same on PostgreSQL + Redis and on Workers + D1 as on SQLite. */
const SCALE_OUT_SUITES = [
  'test/http/reader-api.test.ts',
  'test/http/moderation-api.test.ts',
  'test/http/reports-bans.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**', 'test/worker/**', 'test/long/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'worker',
          include: [...SCALE_OUT_SUITES, 'test/worker/**/*.test.ts'],
          env: { TEST_BACKEND: 'worker', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: SCALE_OUT_SUITES,
          env: { TEST_BACKEND: 'postgres' },
        },
      },
    ],
  },
});
