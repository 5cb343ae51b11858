// The SQLite store: the shared contract on a real file, plus what only SQLite has —
// migrations that upgrade a database written by an older collector.
import t from 'tap';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../collector/store/sqlite/schema.js';
import { SqliteStore } from '../../collector/store/sqlite/sqlite-store.js';
import { tempDir } from './fixtures.js';
import { storeContract } from './store-contract.js';

storeContract(t, async () => {
  const { db, cleanup } = tempDir();
  return { open: async () => new SqliteStore(db), reopen: async () => new SqliteStore(db), cleanup: async () => cleanup() };
});

t.test('sqlite store – a database from schema version 1 is upgraded in place, keeping its data', async (t) => {
  const { db, cleanup } = tempDir();
  t.teardown(cleanup);
  const old = new Database(db);
  old.exec(MIGRATIONS[0]!);
  old.pragma('user_version = 1');
  old.prepare("INSERT INTO enterprises (id, name) VALUES ('old', 'Old works')").run();
  old.close();
  const store = new SqliteStore(db);
  t.teardown(() => store.close());
  t.equal(store.db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  t.same(store.enterpriseInfos().map((e) => e.id), ['old'], 'data written before the upgrade is there');
  t.doesNotThrow(() => store.upsertAlert({ model: 'm', key: 'k', enterpriseId: 'old', facilities: [], severity: 'info', from: 0, to: 1, ended: false, evidence: {}, declared: false, message: '', detectedAt: 1 }, { late: false, deadlineAt: null }, 1));
});

t.test('sqlite store – refuses a database written by a newer collector, naming both versions', async (t) => {
  const { db, cleanup } = tempDir();
  t.teardown(cleanup);
  const newer = new Database(db);
  newer.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  newer.close();
  t.throws(() => new SqliteStore(db), { code: 'TANDEM_COLLECTOR_DB_OPEN', message: new RegExp(`version ${MIGRATIONS.length + 1} is newer than this collector's ${MIGRATIONS.length}`) });
});
