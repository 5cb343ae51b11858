// Child process for the outbox kill -9 test: appends readings to the outbox at argv[2]
// as fast as it can and prints each committed seq ("<seq>\n") once append has returned.
import { openSqliteOutbox } from '../../agent/outbox/sqlite-outbox.js';
import { reading } from '../agent/outbox-contract.js';

const outbox = openSqliteOutbox({ path: process.argv[2]!, maxBytes: 1024 ** 3, maxAgeDays: 3650, minFreeDiskBytes: 0 });
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const stored = outbox.append(Array.from({ length: 1 + (i % 5) }, (_, k) => reading(i * 5 + k)));
  process.stdout.write(stored.map((r) => `${r.seq}\n`).join(''));
  // Let stdout drain now and then, so the parent sees progress before the kill.
  if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
}
