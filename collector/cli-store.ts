// What the `tandem collector` subcommands share: the --db option and a store opened for one command.
import type { CommandContext, OptionSpec } from '../lib/command.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';

export const DEFAULT_DB = './tandem.db';
export const dbOption: OptionSpec = { type: 'string', description: 'SQLite database file', default: DEFAULT_DB, valueName: 'PATH' };

/** Opens the --db store for `work` and closes it afterwards. */
export function withStore<T>(ctx: CommandContext, work: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = new SqliteStore(String(ctx.values.db));
  return work(store).finally(() => store.close());
}
