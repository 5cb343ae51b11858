// Ingest: one dispatcher over one handler per message kind (the aedes lib/handlers shape).
// Every message from a gateway ends up stored, recorded, or quarantined with its reason;
// a handler's failure is logged and quarantined, never thrown back at the broker.
import { COLLECTOR_STATE_TOPIC, parseTopic, TOPIC_KINDS, type TopicKind } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { MeterDirectory, Store } from '../store/store.js';
import { AckSender } from './ack-sender.js';
import type { Analysis } from './analysis.js';
import type { Handler, IncomingMessage, IngestContext } from './context.js';
import { handleCommandReply } from './handlers/command-reply.js';
import { handleConfigAck } from './handlers/config-ack.js';
import { handleReadings } from './handlers/data.js';
import { handleGap } from './handlers/gap.js';
import { handleHealth } from './handlers/health.js';
import { handleState } from './handlers/state.js';
import type { Publisher } from './publisher.js';
import { emptyStats, type IngestStats } from './stats.js';
import { WriteQueue } from './write-queue.js';

const HANDLERS: Partial<Record<TopicKind, Handler>> = {
  data: handleReadings,
  backlog: handleReadings,
  gap: handleGap,
  state: handleState,
  health: handleHealth,
  configAck: handleConfigAck,
  commandReply: handleCommandReply,
};

/** The kinds the collector subscribes to: everything a gateway sends up. */
export const UP_KINDS = (Object.keys(TOPIC_KINDS) as TopicKind[]).filter((kind) => TOPIC_KINDS[kind].direction === 'up');

export interface IngestOptions {
  store: Store;
  publisher: Publisher;
  analysis: Analysis;
  log: Logger;
  onConfigAck?: (gatewayId: string) => void;
  onCommandReply?: IngestContext['onCommandReply'];
  now?: () => number;
}

export class Ingest {
  readonly stats: IngestStats = emptyStats();
  readonly queue: WriteQueue;
  private readonly context: IngestContext;
  private cache: { revision: number; directory: MeterDirectory; gateways: Set<string> } | null = null;
  private readonly now: () => number;

  constructor(private readonly options: IngestOptions) {
    this.now = options.now ?? Date.now;
    const acks = new AckSender(options.publisher, this.stats, options.log, this.now);
    this.queue = new WriteQueue(options.store, acks, options.analysis, this.stats, options.log, this.now);
    this.context = {
      store: options.store,
      queue: this.queue,
      ack: (gatewayId, ranges) => void acks.send(gatewayId, ranges),
      stats: this.stats,
      log: options.log,
      directory: async () => (await this.registry()).directory,
      isKnownGateway: async (id) => (await this.registry()).gateways.has(id),
      quarantine: (message, reason) => this.quarantine(message.topic, message.gatewayId, message.payload, message.receivedAt, reason),
      onConfigAck: options.onConfigAck ?? (() => {}),
      onCommandReply: options.onCommandReply ?? (() => false),
    };
  }

  /** Entry point for every message the broker delivers on an `up` topic. */
  async handle(topic: string, payload: Buffer): Promise<void> {
    if (topic === COLLECTOR_STATE_TOPIC) return; // our own state, matched by tandem/v1/+/state
    const receivedAt = this.now();
    this.stats.messages++;
    const parsed = parseTopic(topic);
    const handler = parsed && HANDLERS[parsed.kind];
    if (!parsed || !handler) return this.quarantine(topic, parsed?.gatewayId ?? null, payload, receivedAt, 'not a gateway-to-collector topic');
    const message: IncomingMessage = { topic, gatewayId: parsed.gatewayId, kind: parsed.kind, payload, receivedAt };
    try {
      if (!(await this.context.isKnownGateway(parsed.gatewayId))) {
        return await this.quarantine(topic, parsed.gatewayId, payload, receivedAt, `gateway '${parsed.gatewayId}' is not registered`);
      }
      await handler(this.context, message);
    } catch (error) {
      this.options.log.error({ topic, err: (error as Error).message }, 'ingest handler failed');
      await this.quarantine(topic, parsed.gatewayId, payload, receivedAt, `collector error: ${(error as Error).message}`);
    }
  }

  /** Commits everything queued (used on shutdown and by tests). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  private async quarantine(topic: string, gatewayId: string | null, payload: Buffer, at: number, reason: string): Promise<void> {
    this.stats.quarantined++;
    this.options.log.debug({ topic, reason }, 'message quarantined');
    await this.queue.add([], [{ at, topic, gatewayId, reason, payload }]);
  }

  private async registry() {
    const revision = await this.options.store.registryRevision();
    if (this.cache?.revision !== revision) {
      const [directory, gateways] = await Promise.all([this.options.store.meterDirectory(), this.options.store.gateways()]);
      this.cache = { revision, directory, gateways: new Set(gateways.map((g) => g.id)) };
    }
    return this.cache;
  }
}
