import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.ts';
import { migrationSql } from '../../scripts/d1-migrations.ts';

describe('D1 migrations', () => {
  it('are the SQL the Kysely migrations generate, one file per migration', async () => {
    const generated = await migrationSql();
    expect(generated.map((g) => g.file)).toEqual(
      Object.keys(migrations)
        .sort()
        .map((name) => `${name}.sql`),
    );
    for (const { file, sql } of generated) {
      const committed = readFileSync(join(resolve(import.meta.dirname, '..', '..'), 'migrations', 'd1', file), 'utf8');
      expect(committed, `migrations/d1/${file} is stale: run npm run migrations:d1`).toBe(sql);
    }
  });
});
