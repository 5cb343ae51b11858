// The rows of each key's most recent window (a facility's minutes, an enterprise's readings),
// kept between live evaluations. An enterprise is evaluated about once a minute over its
// look-back (two hours of minutes, 35 minutes of readings); re-reading all of it from the
// store every time cost more than storing the readings did. With this, an evaluation reads
// only what arrived since the last one.
//
// What was stored again (late or further readings of a minute) is dropped from that time on
// with `truncate`, before the next evaluation reads it. Memory is bounded: past `maxRows` a
// new key is not kept (its windows come from the store, as without the cache) unless the
// key unused longest has gone two rounds of evaluations without use. Keys are evaluated
// in turn, so evicting on plain recency would make every key miss once the working set is
// larger than the cache.
import { lowerBound } from './memory-data.js';

type MaybePromise<T> = T | Promise<T>;

interface Segment<T> {
  /** The rows with time in [from, to), time-ordered. */
  from: number;
  to: number;
  rows: T[];
  lastUsed: number;
  /** Length of the window asked for last. */
  lastSpan: number;
}

export interface RecentWindowStats {
  keys: number;
  rows: number;
  /** Rows served from memory, and rows read from the store. */
  rowsHit: number;
  rowsRead: number;
}

export class RecentWindows<T> {
  private readonly segments = new Map<string, Segment<T>>();
  private rows = 0;
  private uses = 0;
  /** Every key asked for: a round of evaluations uses each about once. */
  private readonly seen = new Set<string>();
  private rowsHit = 0;
  private rowsRead = 0;

  constructor(
    private readonly timeOf: (row: T) => number,
    private readonly maxRows: number,
    /** A window longer than this (a backlog being drained) is not kept: it would crowd out the live ones. */
    private readonly maxRowsPerKey: number,
    /**
     * Keep rows back as far as the longer of the last two windows reached (an evaluation
     * following a condition further back asks a longer one after the usual one), or only
     * those of the last window (rows too large to keep for the odd longer window).
     */
    private readonly keep: 'last-two' | 'last',
  ) {}

  /** The rows of [from, to), from memory where held, the rest from `read`, which returns [a, b) time-ordered. */
  async window(key: string, from: number, to: number, read: (a: number, b: number) => MaybePromise<T[]>): Promise<T[]> {
    this.uses++;
    this.seen.add(key);
    const held = this.segments.get(key);
    if (held && from >= held.from && from <= held.to) {
      this.segments.delete(key); // re-inserted last: the map is in order of use
      this.segments.set(key, held);
      held.lastUsed = this.uses;
      const reach = this.keep === 'last-two' ? Math.max(to - from, held.lastSpan) : to - from;
      held.lastSpan = to - from;
      let fromStore = 0;
      if (to > held.to) {
        const tail = await read(held.to, to);
        for (const row of tail) held.rows.push(row);
        fromStore = tail.length;
        this.rows += tail.length;
        held.to = to;
      }
      // What is older than the window kept is dropped: the window slides on.
      const keepFrom = to - reach;
      if (held.from < keepFrom) {
        const cut = lowerBound(held.rows, keepFrom, this.timeOf);
        held.rows.splice(0, cut);
        this.rows -= cut;
        held.from = keepFrom;
      }
      const rows = held.rows.slice(lowerBound(held.rows, from, this.timeOf), lowerBound(held.rows, to, this.timeOf));
      this.rowsRead += fromStore;
      this.rowsHit += rows.length - fromStore;
      if (held.rows.length > this.maxRowsPerKey || (this.rows > this.maxRows && !this.admit(0))) this.drop(key, held); // grown past a bound
      return rows;
    }
    const rows = await read(from, to);
    this.rowsRead += rows.length;
    if (held) this.drop(key, held);
    if (rows.length <= this.maxRowsPerKey && this.admit(rows.length)) {
      this.segments.set(key, { from, to, rows: rows.slice(), lastUsed: this.uses, lastSpan: to - from });
      this.rows += rows.length;
    }
    return rows;
  }

  /** Forgets what a key holds from `at` on (rows stored again there). */
  truncate(key: string, at: number): void {
    const held = this.segments.get(key);
    if (!held || at >= held.to) return;
    if (at <= held.from) return this.drop(key, held);
    const cut = lowerBound(held.rows, at, this.timeOf);
    this.rows -= held.rows.length - cut;
    held.rows.length = cut;
    held.to = at;
  }

  clear(): void {
    this.segments.clear();
    this.seen.clear();
    this.rows = 0;
  }

  stats(): RecentWindowStats {
    return { keys: this.segments.size, rows: this.rows, rowsHit: this.rowsHit, rowsRead: this.rowsRead };
  }

  private admit(count: number): boolean {
    if (this.maxRows === 0) return false;
    while (this.rows + count > this.maxRows) {
      const [key, oldest] = this.segments.entries().next().value ?? [];
      if (!oldest || this.uses - oldest.lastUsed <= 2 * this.seen.size) return false;
      this.drop(key!, oldest);
    }
    return true;
  }

  private drop(key: string, held: Segment<T>): void {
    this.segments.delete(key);
    this.rows -= held.rows.length;
  }
}
