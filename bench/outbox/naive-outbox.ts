// The naive contender for the outbox fill: what a first version would do — one SQLite row
// per reading holding the reading as JSON text, same journal mode, durability and batch size.
import Database from 'better-sqlite3';
import type { NewReading } from '../../agent/outbox/outbox.js';

export function openNaiveOutbox(path: string): { append(readings: readonly NewReading[]): void; close(): void } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS readings (seq INTEGER PRIMARY KEY AUTOINCREMENT, json TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO readings (json) VALUES (?)');
  const appendAll = db.transaction((readings: readonly NewReading[]) => {
    for (const r of readings) insert.run(JSON.stringify(r));
  });
  return { append: (readings) => appendAll(readings), close: () => db.close() };
}
