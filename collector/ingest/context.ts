// What every ingest handler gets: the parsed topic, the raw payload, and the few services a
// handler may use. Handlers validate and decide; the write queue stores, acks and evaluates.
import type { Logger } from '../../lib/logger.js';
import type { CommandReply, SeqRange, TopicKind } from '../../protocol/index.js';
import type { MeterDirectory, Store } from '../store/store.js';
import type { IngestStats } from './stats.js';
import type { WriteQueue } from './write-queue.js';

export interface IncomingMessage {
  topic: string;
  gatewayId: string;
  kind: TopicKind;
  payload: Buffer;
  /** Collector clock at receipt (epoch ms). */
  receivedAt: number;
}

export interface IngestContext {
  store: Store;
  queue: WriteQueue;
  /**
   * Acks `ranges` to the gateway, without waiting for the publish: it travels through the
   * broker whose delivery slot this handler may hold (as in write-queue.ts).
   */
  ack(gatewayId: string, ranges: readonly SeqRange[]): void;
  stats: IngestStats;
  log: Logger;
  /** The registry's meters per gateway, cached until the registry changes. */
  directory(): Promise<MeterDirectory>;
  isKnownGateway(id: string): Promise<boolean>;
  /** Keeps a message the collector cannot accept, with the reason (batched with the next write). */
  quarantine(message: Pick<IncomingMessage, 'topic' | 'payload' | 'receivedAt'> & { gatewayId: string | null }, reason: string): Promise<void>;
  /** Told when a gateway acks a configuration version (the config service tracks rollouts). */
  onConfigAck(gatewayId: string): void;
  /** Told of a command reply; false when it answers no command this collector remembers. */
  onCommandReply(gatewayId: string, reply: CommandReply, receivedAt: number): boolean;
}

export type Handler = (ctx: IngestContext, message: IncomingMessage) => Promise<void>;
