// The outbox keeps every reading from the moment it is taken until the collector says it
// has stored it (DESIGN.md "The path of the data"). One interface, one contract test
// (test/agent/outbox-contract.ts), so another store can replace SQLite.
import type { BadQuality, GAP_REASONS, Quantity, Reading, SeqRange } from '../../protocol/index.js';

/** A reading before it has a sequence number (what a poller produces). */
export interface NewReading {
  meter: string;
  t: number;
  values: Partial<Record<Quantity, number>>;
  quality?: Partial<Record<Quantity, BadQuality>>;
}

export type GapReason = (typeof GAP_REASONS)[number];

/** Readings from..to were dropped to keep the outbox within its limits; the collector must hear of it. */
export interface PendingGap {
  from: bigint;
  to: bigint;
  count: number;
  reason: GapReason;
  oldestT: number;
  newestT: number;
  /** When the readings were dropped (epoch ms). */
  t: number;
}

export interface OutboxStats {
  depth: number;
  bytes: number;
  oldestT: number | null;
  /** Readings dropped over the outbox's lifetime. */
  dropped: number;
  /** Highest sequence number ever assigned; null before the first reading. */
  lastSeq: bigint | null;
}

export interface OutboxLimits {
  maxBytes: number;
  maxAgeDays: number;
  minFreeDiskBytes: number;
}

export interface Outbox {
  /** Commits the readings and gives each the next sequence number; when it returns, they are durable. */
  append(readings: readonly NewReading[]): Reading[];
  /** Up to `limit` readings with seq > `after`, in ascending sequence order. */
  readAfter(after: bigint, limit: number): Reading[];
  /** Removes the readings and gaps that the collector's ack ranges cover. */
  ack(ranges: readonly SeqRange[]): { readings: number; gaps: number };
  /** Gaps not yet acknowledged, oldest first. */
  gaps(): PendingGap[];
  stats(): OutboxStats;
  close(): void;
}
