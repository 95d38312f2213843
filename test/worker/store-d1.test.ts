import { openD1 } from '../../src/db/d1.ts';
import { Store } from '../../src/db/store.ts';
import { storeContract } from '../db/store-contract.ts';
import { ManualClock } from '../helpers/clock.ts';
import { startWorker } from '../helpers/worker.ts';

storeContract('D1 (local, in workerd through Miniflare)', async () => {
  const { mf, d1 } = await startWorker({ SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789' });
  const clock = new ManualClock();
  return {
    store: new Store(openD1(d1), clock),
    clock,
    async cleanup() {
      await mf.dispose();
    },
  };
});
