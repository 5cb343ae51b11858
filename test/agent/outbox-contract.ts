// The contract every Outbox must keep (STYLE.md: one interface, one shared suite).
// `open` opens (or reopens) the outbox stored at `path` with the given limits and clock.
import type { Test } from 'tap';
import type { NewReading, Outbox, OutboxLimits } from '../../agent/outbox/outbox.js';

export type OpenOutbox = (path: string, options: OutboxLimits & { now?: () => number }) => Outbox;

const ROOMY: OutboxLimits = { maxBytes: 1024 ** 3, maxAgeDays: 30, minFreeDiskBytes: 0 };
const T0 = Date.UTC(2026, 11, 1);
const POLL_MS = 15_000;

export function reading(i: number, meter = `m${i % 10}`): NewReading {
  return { meter, t: T0 + i * POLL_MS, values: { u1: 230 + (i % 7) / 100, i1: 12.345, p: 8123.4 + i, pf: -0.9876, f: 50.01, ei: 123456.789 + i / 1000 } };
}

export function outboxContract(t: Test, name: string, open: OpenOutbox, tempPath: () => string): void {
  t.test(`${name} – append gives increasing sequence numbers that continue after a reopen`, async (t) => {
    const path = tempPath();
    let outbox = open(path, ROOMY);
    const first = outbox.append([reading(0), reading(1)]);
    t.same(first.map((r) => r.seq), [1n, 2n]);
    outbox.close();
    outbox = open(path, ROOMY);
    t.same(outbox.append([reading(2)])[0]!.seq, 3n, 'the next seq after a reopen');
    t.equal(outbox.stats().lastSeq, 3n);
    outbox.close();
  });

  t.test(`${name} – readings come back in sequence order with their time, values and quality`, async (t) => {
    const outbox = open(tempPath(), ROOMY);
    const bad: NewReading = { meter: 'x', t: T0, values: { u1: 231.5, p: -500.5 }, quality: { i1: 'unsupported', f: 'error' } };
    outbox.append([reading(0), bad, reading(2)]);
    const back = outbox.readAfter(0n, 10);
    t.same(back.map((r) => r.seq), [1n, 2n, 3n]);
    t.same(back[0], { seq: 1n, ...reading(0) });
    t.same(back[1], { seq: 2n, ...bad });
    t.same(outbox.readAfter(1n, 1).map((r) => r.seq), [2n], 'after and limit');
    outbox.close();
  });

  t.test(`${name} – an ack removes exactly the covered readings, and seqs are never reused`, async (t) => {
    const path = tempPath();
    let outbox = open(path, ROOMY);
    outbox.append([0, 1, 2, 3, 4].map((i) => reading(i)));
    t.same(outbox.ack([{ from: 2n, to: 3n }, { from: 5n, to: 9n }]), { readings: 3, gaps: 0 });
    t.same(outbox.readAfter(0n, 10).map((r) => r.seq), [1n, 4n]);
    t.equal(outbox.stats().depth, 2);
    outbox.ack([{ from: 1n, to: 4n }]);
    outbox.close();
    outbox = open(path, ROOMY);
    t.equal(outbox.stats().depth, 0);
    t.equal(outbox.append([reading(5)])[0]!.seq, 6n, 'emptied and reopened, the next seq is still new');
    outbox.close();
  });

  t.test(`${name} – over its byte limit the oldest readings go, counted, with a gap for the collector`, async (t) => {
    let now = T0;
    const outbox = open(tempPath(), { ...ROOMY, maxBytes: 1024 * 1024, now: () => now });
    for (let i = 0; i < 60_000; i += 100) {
      outbox.append(Array.from({ length: 100 }, (_, k) => reading(i + k)));
      now += 2000;
    }
    const stats = outbox.stats();
    t.ok(stats.bytes <= 1024 * 1024 + 64 * 1024, `bytes ${stats.bytes} stay near the 1 MiB limit`);
    t.ok(stats.dropped > 0, 'readings were dropped');
    t.equal(stats.depth + stats.dropped, 60_000, 'every reading is either kept or counted as dropped');
    const gaps = outbox.gaps();
    t.equal(gaps.reduce((sum, g) => sum + g.count, 0), stats.dropped, 'the gaps account for every dropped reading');
    t.equal(gaps[0]!.from, 1n, 'the oldest went first');
    t.equal(gaps[0]!.reason, 'outbox-bytes');
    t.equal(outbox.readAfter(0n, 1)[0]!.seq, gaps[gaps.length - 1]!.to + 1n, 'what is kept starts right after the last gap');
    t.same(outbox.ack([{ from: gaps[0]!.from, to: gaps[0]!.to }]), { readings: 0, gaps: 1 }, 'an ack covering a gap removes it');
    outbox.close();
  });

  t.test(`${name} – readings older than the age limit go, with a gap`, async (t) => {
    let now = T0;
    const outbox = open(tempPath(), { ...ROOMY, maxAgeDays: 1, now: () => now });
    outbox.append([0, 1, 2].map((i) => reading(i)));
    now = T0 + 86_400_000 + 20_000; // readings 0 and 1 are now older than a day
    outbox.append([{ ...reading(3), t: now }]);
    t.same(outbox.readAfter(0n, 10).map((r) => r.seq), [3n, 4n]);
    t.match(outbox.gaps(), [{ from: 1n, to: 2n, count: 2, reason: 'outbox-age', oldestT: T0, newestT: T0 + POLL_MS }]);
    t.equal(outbox.stats().dropped, 2);
    outbox.close();
  });

  t.test(`${name} – stats report depth, oldest time and last seq`, async (t) => {
    const outbox = open(tempPath(), ROOMY);
    t.same(outbox.stats(), { depth: 0, bytes: outbox.stats().bytes, oldestT: null, dropped: 0, lastSeq: null });
    outbox.append([reading(0), reading(1)]);
    t.match(outbox.stats(), { depth: 2, oldestT: T0, dropped: 0, lastSeq: 2n });
    outbox.close();
  });
}
