// The collector's side of MQTT, whichever broker carries it (embedded aedes or an external
// broker): receive what gateways send up, publish what goes down.
import type { Publisher } from '../ingest/publisher.js';
import type { BrokerStats } from './stats.js';

export type MessageHandler = (topic: string, payload: Buffer) => Promise<void>;

export interface MessageBus extends Publisher {
  /** mqtt:// URL gateways connect to (for the embedded broker, where it listens). */
  readonly url: string;
  /** ws:// URL of the embedded broker's WebSocket listener, when it has one. */
  readonly wsUrl?: string | null;
  readonly stats: BrokerStats;
  /** Subscribes `handler` to the given filters; resolves once the subscriptions are active. */
  subscribe(filters: string[], handler: MessageHandler): Promise<void>;
  close(): Promise<void>;
}
