// Groups many small messages into one transaction (one commit per FLUSH_INTERVAL_MS or
// FLUSH_ROWS readings), then — only after the commit — acks each gateway for what is now
// durable, then hands the new readings to the models. DESIGN.md: "A reading leaves the
// outbox only after the collector says it is stored".
import { toRanges } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { IncomingReading, QuarantineEntry, Store, WriteResult } from '../store/store.js';
import type { AckSender } from './ack-sender.js';
import type { Analysis } from './analysis.js';
import type { IngestStats } from './stats.js';

/** Longest a reading waits for its transaction (ms): the ack latency a gateway sees. */
export const FLUSH_INTERVAL_MS = 20;
/** A transaction this large commits at once instead of waiting for the timer (readings). */
export const FLUSH_ROWS = 20_000;
/** Above this many readings waiting, handlers wait for the commit (backpressure on the broker). */
export const HIGH_WATER_ROWS = 40_000;
/** Test-only (TANDEM_TESTHOOK=exit-after-commit): exit right after the first commit that stored readings, before any ack. */
const EXIT_AFTER_COMMIT = process.env.TANDEM_TESTHOOK === 'exit-after-commit';
const EXIT_AFTER_COMMIT_CODE = 86;

interface Pending {
  readings: IncomingReading[];
  quarantine: QuarantineEntry[];
  acks: Map<string, bigint[]>;
}

export class WriteQueue {
  private pending: Pending = empty();
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private waiting = 0;

  constructor(
    private readonly store: Store,
    private readonly acks: AckSender,
    private readonly analysis: Analysis,
    private readonly stats: IngestStats,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues readings and quarantine entries; `ackSeqs` are acked to `gatewayId` after the commit. */
  async add(readings: IncomingReading[], quarantine: QuarantineEntry[], gatewayId?: string, ackSeqs?: bigint[]): Promise<void> {
    const p = this.pending;
    for (const r of readings) p.readings.push(r);
    for (const q of quarantine) p.quarantine.push(q);
    if (gatewayId && ackSeqs?.length) {
      const list = p.acks.get(gatewayId);
      if (list) for (const s of ackSeqs) list.push(s);
      else p.acks.set(gatewayId, ackSeqs.slice());
    }
    this.waiting += readings.length + quarantine.length;
    if (p.readings.length >= FLUSH_ROWS) void this.flush();
    else this.flushSoon();
    if (this.waiting > HIGH_WATER_ROWS) await this.flush();
  }

  /** Commits what is queued; resolves once it is stored (acks are then on their way). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = empty();
    this.chain = this.chain.then(() => this.commit(batch));
    return this.chain;
  }

  private flushSoon(): void {
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  private async commit(batch: Pending): Promise<void> {
    const size = batch.readings.length + batch.quarantine.length;
    if (size === 0 && batch.acks.size === 0) return;
    let result: WriteResult;
    try {
      result = await this.store.write(batch.readings, batch.quarantine);
    } catch (error) {
      // Nothing is acked, so every gateway resends these readings: nothing is lost.
      this.stats.storeErrors++;
      this.log.error({ err: (error as Error).message, readings: batch.readings.length }, 'store write failed; not acking, gateways will resend');
      return;
    } finally {
      this.waiting -= size;
    }
    if (EXIT_AFTER_COMMIT && result.newRows > 0) process.exit(EXIT_AFTER_COMMIT_CODE);
    this.stats.commits++;
    this.stats.lastCommitAt = this.now();
    this.stats.readingsStored += result.newRows;
    this.stats.readingsFlagged += result.newRows - result.inserted.length;
    this.stats.readingsDuplicate += batch.readings.length - result.newRows;
    // Not awaited: the ack travels through the same broker whose delivery slots may be held
    // by handlers waiting for this very commit (backpressure); awaiting it would deadlock.
    for (const [gatewayId, seqs] of batch.acks) void this.acks.send(gatewayId, toRanges(seqs));
    if (result.inserted.length) setImmediate(() => this.evaluate(result));
  }

  private evaluate(result: WriteResult): void {
    try {
      this.analysis.onStored({ readings: result.inserted, touched: result.touched });
    } catch (error) {
      this.log.error({ err: (error as Error).message }, 'analysis hook failed');
    }
  }
}

function empty(): Pending {
  return { readings: [], quarantine: [], acks: new Map() };
}
