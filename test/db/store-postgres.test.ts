import { migrateToLatest } from '../../src/db/migrate.ts';
import { Store } from '../../src/db/store.ts';
import { openDatabase } from '../../src/runtime/node-db.ts';
import { ManualClock } from '../helpers/clock.ts';
import { freshPostgresDatabase } from '../helpers/postgres.ts';
import { storeContract } from './store-contract.ts';

storeContract('PostgreSQL', async () => {
  const database = await freshPostgresDatabase();
  const handle = openDatabase(database.url, { poolSize: 4 });
  await migrateToLatest(handle.db);
  const clock = new ManualClock();
  return {
    store: new Store(handle, clock),
    clock,
    async cleanup() {
      await handle.close();
      await database.drop();
    },
  };
});
