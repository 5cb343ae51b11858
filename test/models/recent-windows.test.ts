// The recent windows the live engine keeps between evaluations: the same rows the store
// gives, re-read where stored again, and bounded memory without thrashing.
import { test } from 'tap';
import { RecentWindows } from '../../collector/models/recent-windows.js';

interface Row {
  t: number;
  v: number;
}

/** A store of one row per time unit per key, counting the rows it is asked for. */
function store() {
  const rows = new Map<string, Row[]>();
  let read = 0;
  return {
    put(key: string, t: number, v: number) {
      const list = rows.get(key) ?? [];
      const at = list.findIndex((r) => r.t >= t);
      if (at === -1) list.push({ t, v });
      else if (list[at]!.t === t) list[at] = { t, v };
      else list.splice(at, 0, { t, v });
      rows.set(key, list);
    },
    read(key: string, a: number, b: number): Row[] {
      const out = (rows.get(key) ?? []).filter((r) => r.t >= a && r.t < b);
      read += out.length;
      return out;
    },
    get rowsRead() {
      return read;
    },
  };
}

test('recent windows – a sliding window gives what the store gives, reading only what is new', async (t) => {
  const s = store();
  const recent = new RecentWindows<Row>((r) => r.t, 1000, 1000, 'last-two');
  for (let x = 0; x < 100; x++) s.put('a', x, x);
  t.same(await recent.window('a', 0, 100, (a, b) => s.read('a', a, b)), s.read('a', 0, 100));
  const before = s.rowsRead;
  for (let end = 101; end <= 300; end++) {
    s.put('a', end - 1, end);
    recent.truncate('a', end - 1); // as the engine does for what was stored
    const got = await recent.window('a', end - 100, end, (a, b) => s.read('a', a, b));
    t.same(got, s.read('a', end - 100, end), `window ending ${end}`);
  }
  // 200 steps: each read one new row from the store (plus the comparison's 100).
  t.equal(s.rowsRead - before, 200 * 100 + 200, 'one row read per step besides the comparison');
  t.ok(recent.stats().rows <= 200, `the start slides off: ${recent.stats().rows} rows held for a 100-row window`);
});

test('recent windows – a row stored again in the middle is read again, the rows before it are not', async (t) => {
  const s = store();
  const recent = new RecentWindows<Row>((r) => r.t, 1000, 1000, 'last-two');
  for (let x = 0; x < 50; x++) s.put('a', x, x);
  await recent.window('a', 0, 50, (a, b) => s.read('a', a, b));
  s.put('a', 20, -1);
  recent.truncate('a', 20);
  const before = s.rowsRead;
  const got = await recent.window('a', 0, 50, (a, b) => s.read('a', a, b));
  t.equal(s.rowsRead - before, 30, 'rows 20…49 read again');
  t.equal(got[20]!.v, -1, 'the row as stored again');
  t.same(got, s.read('a', 0, 50));
  // Without the truncate the cache would have served the old row: that is what truncate is for.
  s.put('a', 30, -2);
  t.equal((await recent.window('a', 0, 50, (a, b) => s.read('a', a, b)))[30]!.v, 30, 'not re-read until truncated');
});

test('recent windows – a window reaching before what is held is read whole, and held from then on', async (t) => {
  const s = store();
  const recent = new RecentWindows<Row>((r) => r.t, 1000, 1000, 'last-two');
  for (let x = 0; x < 100; x++) s.put('a', x, x);
  await recent.window('a', 50, 100, (a, b) => s.read('a', a, b));
  t.same(await recent.window('a', 10, 100, (a, b) => s.read('a', a, b)), s.read('a', 10, 100));
  const before = s.rowsRead;
  await recent.window('a', 20, 100, (a, b) => s.read('a', a, b));
  t.equal(s.rowsRead, before, 'served from memory');
});

test('recent windows – memory stays bounded; keys used in turn keep hitting rather than evicting each other', async (t) => {
  const s = store();
  const recent = new RecentWindows<Row>((r) => r.t, 500, 500, 'last-two');
  const keys = Array.from({ length: 20 }, (_, i) => `k${i}`); // 20 keys × 50 rows: twice the bound
  for (const k of keys) for (let x = 0; x < 60; x++) s.put(k, x, x);
  for (let round = 0; round < 5; round++) {
    for (const k of keys) {
      const got = await recent.window(k, round, round + 50, (a, b) => s.read(k, a, b));
      t.equal(got.length, 50);
      t.ok(recent.stats().rows <= 500, 'never more rows than the bound');
    }
  }
  const { keys: held, rowsHit } = recent.stats();
  t.ok(held >= 9 && held <= 10, `about half the keys held (${held})`);
  t.ok(rowsHit >= 4 * 9 * 49, `and those hit every round after the first (${rowsHit} rows from memory)`);

  // Keys no longer used give way to new ones after two rounds without use.
  for (let round = 0; round < 3; round++) {
    for (const k of ['n0', 'n1', 'n2']) {
      s.put(k, round, round);
      await recent.window(k, 0, 50, (a, b) => s.read(k, a, b));
      for (let i = 0; i < 30; i++) await recent.window(`other${i}`, 0, 1, () => []);
    }
  }
  await recent.window('n3', 0, 60, () => Array.from({ length: 60 }, (_, x) => ({ t: x, v: x })));
  t.ok(recent.stats().keys > 0 && recent.stats().rows <= 500);
  const hitBefore = recent.stats().rowsHit;
  await recent.window('n3', 0, 60, () => []);
  t.equal(recent.stats().rowsHit - hitBefore, 60, 'a new key was admitted in place of idle ones');
});

test('recent windows – a bound of 0 keeps nothing', async (t) => {
  const s = store();
  for (let x = 0; x < 10; x++) s.put('a', x, x);
  const recent = new RecentWindows<Row>((r) => r.t, 0, 0, 'last-two');
  await recent.window('a', 0, 10, (a, b) => s.read('a', a, b));
  const before = s.rowsRead;
  t.same(await recent.window('a', 0, 10, (a, b) => s.read('a', a, b)), s.read('a', 0, 10));
  t.equal(s.rowsRead - before, 20, 'read from the store both times');
  t.equal(recent.stats().rows, 0);
});

test('recent windows – keeping only the last window holds nothing before it', async (t) => {
  const s = store();
  for (let x = 0; x < 100; x++) s.put('a', x, x);
  const recent = new RecentWindows<Row>((r) => r.t, 1000, 1000, 'last');
  await recent.window('a', 0, 100, (a, b) => s.read('a', a, b));
  t.same(await recent.window('a', 60, 100, (a, b) => s.read('a', a, b)), s.read('a', 60, 100));
  t.equal(recent.stats().rows, 40, 'rows 0…59 let go');
  const before = s.rowsRead;
  t.same(await recent.window('a', 50, 100, (a, b) => s.read('a', a, b)), s.read('a', 50, 100));
  t.equal(s.rowsRead - before, 100, 'an earlier start is read whole again');
});

test('recent windows – after a longer window, keeping the last two lets it go once two usual ones followed', async (t) => {
  const s = store();
  for (let x = 0; x < 1000; x++) s.put('a', x, x);
  const recent = new RecentWindows<Row>((r) => r.t, 10_000, 10_000, 'last-two');
  const read = (a: number, b: number) => s.read('a', a, b);
  await recent.window('a', 0, 900, read); // a backlog, or a condition followed back
  await recent.window('a', 800, 901, read);
  t.equal(recent.stats().rows, 900, 'held while the long one is among the last two');
  await recent.window('a', 801, 902, read);
  t.equal(recent.stats().rows, 101, 'then only the usual window');
});

test('recent windows – a window longer than the per-key bound (a backlog) is read from the store and not kept', async (t) => {
  const s = store();
  for (let x = 0; x < 500; x++) s.put('a', x, x);
  const recent = new RecentWindows<Row>((r) => r.t, 10_000, 100, 'last');
  t.same(await recent.window('a', 0, 500, (a, b) => s.read('a', a, b)), s.read('a', 0, 500));
  t.equal(recent.stats().rows, 0, 'not kept');
  await recent.window('a', 450, 500, (a, b) => s.read('a', a, b));
  t.equal(recent.stats().rows, 50, 'the usual window is');
  await recent.window('a', 300, 500, (a, b) => s.read('a', a, b));
  t.equal(recent.stats().rows, 0, 'and one that grows past the bound is let go');
});
