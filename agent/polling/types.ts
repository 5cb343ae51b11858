// The seam between polling and delivery: the delivery half (outbox, uplink, health) only
// sees these types and createPoller.
import type { Bus, Quantity, BadQuality } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';

export type { Bus };

export interface PolledReading {
  meter: string;
  /** epoch ms when its registers were read */
  t: number;
  values: Partial<Record<Quantity, number>>;
  quality?: Partial<Record<Quantity, BadQuality>>;
}

export interface MeterStats {
  id: string;
  lastOkT: number | null;
  lastErrorT: number | null;
  lastError: string | null;
  /** share of successful polls over the last hour, 0..1 (1 before the first poll) */
  okRate: number;
  /** polled less often than the interval because it stopped answering */
  backoff: boolean;
}

export interface BusStats {
  busId: string;
  connected: boolean;
  /** ticks that found the previous poll cycle unfinished (the late cycle runs when it ends; more ticks meanwhile are skipped) */
  queueOverruns: number;
  queueDepth: number;
  meters: MeterStats[];
}

export interface BusPoller {
  /** Connects and starts the wall-clock ticks. Resolves after the first connection attempt even when it failed: the poller keeps reconnecting, and stats().connected says where it stands. */
  start(): Promise<void>;
  /** Stops ticking, lets the request in flight finish, closes the port or socket. */
  stop(): Promise<void>;
  stats(): BusStats;
  /** Reads one meter now, ahead of the queue; the reading is returned, not passed to onReading. */
  readNow(meterId: string): Promise<PolledReading>;
  /** FC 16 to a meter; refused unless the poller was created with allowWrites. */
  write(meterId: string, address: number, values: number[]): Promise<void>;
}

export interface PollerOptions {
  pollIntervalS: number;
  onReading: (r: PolledReading) => void;
  logger: Logger;
  now?: () => number;
  allowWrites?: boolean;
}
