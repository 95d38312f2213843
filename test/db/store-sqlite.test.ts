import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { Store } from '../../src/db/store.ts';
import { openDatabase } from '../../src/runtime/node-db.ts';
import { ManualClock } from '../helpers/clock.ts';
import { storeContract } from './store-contract.ts';

storeContract('SQLite file (better-sqlite3)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'duyet-store-'));
  const handle = openDatabase(`file:${join(dir, 'x.sqlite')}`);
  await migrateToLatest(handle.db);
  const clock = new ManualClock();
  return {
    store: new Store(handle, clock),
    clock,
    async cleanup() {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
