// What to send, and when a reading may leave the outbox (DESIGN.md "Wire protocol"):
// live readings go out at once on `data`; the backlog (everything older that is not yet
// acknowledged) drains beside them on `backlog`, oldest first, rate-limited, only while
// the collector says it is online. A reading leaves the outbox only when an application
// Ack covers its seq, never on PUBACK. Anything unacknowledged after the ack timeout, a
// reconnect or the collector coming back is sent again: the collector stores by
// (gateway, seq), so a resend is harmless, a loss is not.
import { encodeBatch, encodePayload, formatSeq, SCHEMA_VERSION, type Gap, type Reading, type SeqRange } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { Outbox, PendingGap } from '../outbox/outbox.js';
import { createTokenBucket } from './rate.js';

/** Live readings of one poll round are gathered this long into one batch (ms). */
const LIVE_GATHER_MS = 200;
/** Rows per backlog batch: ~25 KB compressed, far below the 256 KB payload limit. */
const BACKLOG_BATCH_ROWS = 1000;
/** Rows per live batch at most (protocol MAX_BATCH_ROWS is 5000). */
const LIVE_BATCH_ROWS = 1000;
/** Backlog rows sent but not yet acknowledged, at most; bounds memory and the collector's queue. */
const MAX_UNACKED_BACKLOG_ROWS = 20_000;
/** How often the ack timeout is checked (ms). */
const TIMEOUT_CHECK_MS = 1000;

export type SendKind = 'data' | 'backlog' | 'gap';

export interface SenderOptions {
  gatewayId: string;
  outbox: Outbox;
  publish: (kind: SendKind, payload: Buffer) => void;
  backlogReadingsPerS: number;
  ackTimeoutMs: number;
  logger: Logger;
  now?: () => number;
}

interface InFlight {
  seqs: bigint[];
  backlog: boolean;
  sentAt: number;
}

export function createSender(options: SenderOptions) {
  const { outbox, logger } = options;
  const now = options.now ?? Date.now;
  const bucket = createTokenBucket(options.backlogReadingsPerS, now);
  let linkUp = false;
  let collectorOnline = false;
  let liveQueue: Reading[] = [];
  let liveTimer: NodeJS.Timeout | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  /** Seqs from here on belong to the live path; the backlog covers (cursor, liveFrom). */
  let liveFrom = 0n;
  let cursor = 0n;
  let inFlight: InFlight[] = [];
  const gapsSent = new Map<bigint, number>();
  const timeoutTimer = setInterval(checkTimeouts, TIMEOUT_CHECK_MS).unref();

  function send(kind: 'data' | 'backlog', readings: Reading[]): void {
    options.publish(kind, encodePayload(encodeBatch(options.gatewayId, readings)));
    inFlight.push({ seqs: readings.map((r) => r.seq), backlog: kind === 'backlog', sentAt: now() });
  }

  function flushLive(): void {
    clearTimeout(liveTimer);
    liveTimer = undefined;
    const queue = liveQueue;
    liveQueue = [];
    if (!linkUp) return; // they stay in the outbox and go out as backlog after the reconnect
    for (let i = 0; i < queue.length; i += LIVE_BATCH_ROWS) send('data', queue.slice(i, i + LIVE_BATCH_ROWS));
  }

  function unacked(): number {
    return inFlight.reduce((n, f) => n + f.seqs.length, 0);
  }

  function unackedBacklogRows(): number {
    return inFlight.reduce((sum, f) => sum + (f.backlog ? f.seqs.length : 0), 0);
  }

  function sendGaps(gaps: PendingGap[]): void {
    for (const gap of gaps) {
      if (gapsSent.has(gap.from)) continue;
      const message: Gap = {
        v: SCHEMA_VERSION, gw: options.gatewayId, from: formatSeq(gap.from), to: formatSeq(gap.to), count: gap.count,
        reason: gap.reason, oldestT: gap.oldestT, newestT: gap.newestT, t: gap.t,
      };
      options.publish('gap', encodePayload(message));
      gapsSent.set(gap.from, now());
    }
  }

  function drain(): void {
    drainTimer = undefined;
    if (!linkUp || !collectorOnline) return;
    sendGaps(outbox.gaps());
    if (unackedBacklogRows() >= MAX_UNACKED_BACKLOG_ROWS) return; // the next ack kicks the drain again
    const tokens = bucket.available();
    if (tokens < 1) {
      drainTimer = setTimeout(drain, bucket.waitMs(BACKLOG_BATCH_ROWS));
      return;
    }
    const rows = outbox.readAfter(cursor, Math.min(BACKLOG_BATCH_ROWS, tokens)).filter((r) => r.seq < liveFrom);
    if (rows.length === 0) return; // caught up with the live path
    send('backlog', rows);
    bucket.take(rows.length);
    cursor = rows[rows.length - 1]!.seq;
    kick(); // one batch per turn of the event loop, so polls and live data never wait behind the backlog
  }

  function kick(): void {
    if (drainTimer === undefined) drainTimer = setTimeout(drain, 0);
  }

  /** Forgets what was sent: everything still in the outbox is backlog again. */
  function restart(why: string): void {
    if (inFlight.length) logger.info({ why, unacked: unacked() }, 'resending what the collector has not acknowledged');
    inFlight = [];
    gapsSent.clear();
    liveQueue = [];
    cursor = 0n;
    liveFrom = (outbox.stats().lastSeq ?? 0n) + 1n;
    kick();
  }

  function checkTimeouts(): void {
    const expired = now() - options.ackTimeoutMs;
    if (inFlight.some((f) => f.sentAt < expired)) return restart('no ack within the ack timeout');
    // An unacknowledged gap report is sent again on its own; it never holds up the readings.
    let resend = false;
    for (const [from, sentAt] of gapsSent) {
      if (sentAt >= expired) continue;
      gapsSent.delete(from);
      resend = true;
    }
    if (resend) kick();
  }

  return {
    /** New readings, already committed to the outbox. Never blocks: when the link is down they wait there. */
    offerLive(readings: Reading[]): void {
      if (!linkUp) return;
      liveQueue.push(...readings);
      if (liveQueue.length >= LIVE_BATCH_ROWS) flushLive();
      else liveTimer ??= setTimeout(flushLive, LIVE_GATHER_MS);
      if (outbox.gaps().length) kick();
    },
    setLink(up: boolean): void {
      linkUp = up;
      if (up) restart('connected');
      else flushLive();
    },
    setCollectorOnline(online: boolean): void {
      const wasOnline = collectorOnline;
      collectorOnline = online;
      if (online && !wasOnline) restart('collector online');
    },
    onAck(ranges: SeqRange[]): void {
      const removed = outbox.ack(ranges);
      const covered = (seq: bigint) => ranges.some((r) => seq >= r.from && seq <= r.to);
      for (const f of inFlight) f.seqs = f.seqs.filter((seq) => !covered(seq));
      inFlight = inFlight.filter((f) => f.seqs.length > 0);
      for (const from of gapsSent.keys()) if (covered(from)) gapsSent.delete(from);
      logger.debug({ ranges: ranges.length, removed }, 'ack');
      kick();
    },
    /** Readings sent and not yet acknowledged. */
    unacked,
    stop(): void {
      clearInterval(timeoutTimer);
      clearTimeout(liveTimer);
      clearTimeout(drainTimer);
      linkUp = false;
    },
  };
}

export type Sender = ReturnType<typeof createSender>;
