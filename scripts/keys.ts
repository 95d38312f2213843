/**
 * `npm run keys -- create --name NAME --role moderator|admin` prints a new key once.
 * `npm run keys -- list` and `npm run keys -- revoke ID` manage them. Uses DATABASE_URL like the server.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { systemClock } from '../src/core/types.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { Store } from '../src/db/store.ts';
import { openDatabase } from '../src/runtime/node-db.ts';
import { createKey } from '../src/services/keys.ts';

const USAGE = `usage:
  npm run keys -- create --name NAME --role moderator|admin
  npm run keys -- list
  npm run keys -- revoke ID`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
  });
  const [command, arg] = positionals;
  const config = loadConfig(process.env);
  const handle = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(handle.db);
    const store = new Store(handle, systemClock);
    switch (command) {
      case 'create': {
        const role = values.role;
        if (!values.name || (role !== 'moderator' && role !== 'admin')) {
          console.error(USAGE);
          return 2;
        }
        const { key, secret } = await createKey(store, values.name, role);
        if (values.json) console.log(JSON.stringify({ key, secret }));
        else {
          console.log(`Created ${key.role} key "${key.name}" (id ${key.id}).`);
          console.log('Secret (shown once, store it now):');
          console.log(secret);
        }
        return 0;
      }
      case 'list': {
        for (const k of await store.listKeys()) {
          console.log([k.id, k.role.padEnd(9), k.prefix, k.name, k.lastUsedAt ?? 'never used'].join('  '));
        }
        return 0;
      }
      case 'revoke': {
        if (!arg) {
          console.error(USAGE);
          return 2;
        }
        const ok = await store.revokeKey(arg);
        console.log(ok ? `Revoked ${arg}.` : `No active key ${arg}.`);
        return ok ? 0 : 1;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
