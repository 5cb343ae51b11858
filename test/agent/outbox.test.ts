import t from 'tap';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openSqliteOutbox } from '../../agent/outbox/sqlite-outbox.js';
import { DEFAULTS } from '../../agent/config/schema.js';
import { outboxContract, reading } from './outbox-contract.js';
import { spawnTs } from '../helpers/ts-child.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-outbox-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const tempPath = () => join(dir, `outbox-${++files}.db`);

outboxContract(t, 'SQLite outbox', (path, options) => openSqliteOutbox({ path, ...options }), tempPath);

t.test('SQLite outbox – when the disk runs short the oldest readings go, reported as disk-full', async (t) => {
  let now = Date.UTC(2026, 11, 1);
  // More free space demanded than any disk has: every check finds the disk short.
  const outbox = openSqliteOutbox({ path: tempPath(), maxBytes: 1024 ** 3, maxAgeDays: 3650, minFreeDiskBytes: Number.MAX_SAFE_INTEGER, now: () => now });
  for (let i = 0; i < 5000; i += 100) {
    outbox.append(Array.from({ length: 100 }, (_, k) => reading(i + k)));
    now += 2000;
  }
  const { dropped, depth } = outbox.stats();
  t.ok(dropped > 0, `${dropped} dropped`);
  t.equal(depth + dropped, 5000, 'every reading kept or counted');
  t.ok(outbox.gaps().every((g) => g.reason === 'disk-full'));
  t.equal(outbox.gaps()[0]!.from, 1n, 'the oldest went first');
  outbox.close();
});

t.test('SQLite outbox – 30 days of 10 meters at 15 s fit in the default size limit', async (t) => {
  const outbox = openSqliteOutbox({ path: tempPath(), maxBytes: DEFAULTS.outboxMaxBytes, maxAgeDays: 3650, minFreeDiskBytes: 0 });
  const sample = 100_000;
  for (let i = 0; i < sample; i += 1000) outbox.append(Array.from({ length: 1000 }, (_, k) => reading(i + k)));
  const perReading = outbox.stats().bytes / sample;
  const thirtyDays = 10 * (30 * 86_400) / 15;
  t.comment(`${perReading.toFixed(1)} bytes per reading; 30 days of 10 meters = ${thirtyDays} readings ≈ ${((perReading * thirtyDays) / 2 ** 20).toFixed(0)} MiB`);
  t.ok(perReading * thirtyDays < DEFAULTS.outboxMaxBytes, 'fits the default maxBytes');
  t.equal(outbox.stats().dropped, 0);
  outbox.close();
});

t.test('SQLite outbox – killed with SIGKILL 20 times while writing: opens, seqs continue, nothing committed is lost', async (t) => {
  const path = tempPath();
  const writer = fileURLToPath(new URL('../helpers/outbox-writer.ts', import.meta.url));
  const committed: bigint[] = [];
  for (let kill = 0; kill < 20; kill++) {
    const child = spawnTs(writer, [path]);
    let buffered = '';
    let seen = 0;
    let ready = false;
    const enough = 20 + Math.floor(Math.random() * 2000); // a random moment in the write loop
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('writer made no progress in 20 s')), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          if (line === 'ready') ready = true;
          else committed.push(BigInt(line));
          if (ready && ++seen >= enough) {
            clearTimeout(timer);
            child.kill('SIGKILL');
            resolve();
          }
        }
      });
      child.on('exit', () => reject(new Error('writer exited before it was killed')));
    }).catch((error) => t.fail(String(error)));
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
  for (let i = 1; i < committed.length; i++) {
    if (committed[i]! <= committed[i - 1]!) t.fail(`seq ${committed[i]} after ${committed[i - 1]}: reused or out of order`);
  }
  const check = new Database(path, { readonly: true });
  t.equal(check.pragma('integrity_check', { simple: true }), 'ok', 'the file is intact');
  check.close();
  const outbox = openSqliteOutbox({ path, maxBytes: 1024 ** 3, maxAgeDays: 3650, minFreeDiskBytes: 0 });
  const stored = new Set(outbox.readAfter(0n, 10_000_000).map((r) => r.seq));
  const lost = committed.filter((seq) => !stored.has(seq));
  t.same(lost, [], `all ${committed.length} committed readings are there`);
  const last = outbox.stats().lastSeq!;
  t.equal(outbox.append([reading(0)])[0]!.seq, last + 1n, 'the next seq follows the last one ever assigned');
  outbox.close();
});
