// What the scheduler remembers about one meter between polls: its health figures and its
// back-off. A silent slave is backed off on its own (DESIGN.md polling principles): the
// others keep their interval, and the bus is not reconnected for it.
import type { MeterStats } from './types.js';

/** A silent meter is tried after 1, 2, 4 … intervals, but at least once a minute: it may be back. */
const MAX_BACKOFF_MS = 60_000;
/** okRate covers the last hour in one-minute buckets (bounded memory, whatever the interval). */
const RATE_BUCKET_MS = 60_000;
const RATE_BUCKETS = 60;

export class MeterState {
  lastOkT: number | null = null;
  lastErrorT: number | null = null;
  lastError: string | null = null;
  /** polls in a row that produced no reading */
  failures = 0;
  private nextDueT = 0;
  private readonly ok = new Array<number>(RATE_BUCKETS).fill(0);
  private readonly total = new Array<number>(RATE_BUCKETS).fill(0);
  private readonly bucketStart = new Array<number>(RATE_BUCKETS).fill(-1);

  constructor(
    readonly id: string,
    private readonly intervalMs: number,
  ) {}

  /** Whether the tick at `t` polls this meter. */
  isDue(t: number): boolean {
    return t >= this.nextDueT;
  }

  recordOk(t: number): void {
    this.lastOkT = t;
    this.failures = 0;
    this.nextDueT = 0;
    this.count(t, true);
  }

  /** A poll that produced no reading; `backOff` false when the bus, not the meter, failed. */
  recordError(t: number, message: string, backOff = true): void {
    this.lastErrorT = t;
    this.lastError = message;
    this.count(t, false);
    if (!backOff) return;
    this.failures += 1;
    const delay = Math.min(this.intervalMs * 2 ** (this.failures - 1), Math.max(MAX_BACKOFF_MS, this.intervalMs));
    // Half an interval early, so the tick at t + delay is not missed by timer jitter.
    this.nextDueT = t + delay - this.intervalMs / 2;
  }

  /** Polled less often than the interval: the second failure in a row skips a tick. */
  get backoff(): boolean {
    return this.failures >= 2;
  }

  stats(): MeterStats {
    let ok = 0;
    let total = 0;
    const oldest = (this.lastOkT ?? 0) > (this.lastErrorT ?? 0) ? this.lastOkT! : (this.lastErrorT ?? 0);
    for (let i = 0; i < RATE_BUCKETS; i++) {
      if (this.bucketStart[i]! <= oldest - RATE_BUCKETS * RATE_BUCKET_MS) continue;
      ok += this.ok[i]!;
      total += this.total[i]!;
    }
    return { id: this.id, lastOkT: this.lastOkT, lastErrorT: this.lastErrorT, lastError: this.lastError, okRate: total === 0 ? 1 : ok / total, backoff: this.backoff };
  }

  private count(t: number, ok: boolean): void {
    const start = Math.floor(t / RATE_BUCKET_MS) * RATE_BUCKET_MS;
    const i = (start / RATE_BUCKET_MS) % RATE_BUCKETS;
    if (this.bucketStart[i] !== start) {
      this.bucketStart[i] = start;
      this.ok[i] = 0;
      this.total[i] = 0;
    }
    this.total[i]! += 1;
    if (ok) this.ok[i]! += 1;
  }
}
