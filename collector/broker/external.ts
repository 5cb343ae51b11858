// The collector as a client of an external broker (Mosquitto, EMQX): that broker does the
// authentication and access control. The collector keeps a persistent session so that
// messages published while it restarts wait in the broker, and leaves a Last Will that
// marks it offline for the gateways (their backlogs pause, DESIGN.md).
import mqtt from 'mqtt';
import { COLLECTOR_STATE_TOPIC, encodePayload } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import { collectorError } from '../errors.js';
import type { PublishOptions } from '../ingest/publisher.js';
import type { MessageBus, MessageHandler } from './message-bus.js';
import { emptyBrokerStats } from './stats.js';

/** How long the first connection may take before start-up fails (ms). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Between reconnection attempts after losing the broker (ms). */
const RECONNECT_PERIOD_MS = 2_000;

export interface ExternalBrokerOptions {
  url: string;
  clientId: string;
  log: Logger;
}

export async function connectExternalBroker(options: ExternalBrokerOptions): Promise<MessageBus> {
  const { log } = options;
  const client = mqtt.connect(options.url, {
    protocolVersion: 4,
    clientId: options.clientId,
    clean: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    reconnectPeriod: RECONNECT_PERIOD_MS,
    will: { topic: COLLECTOR_STATE_TOPIC, payload: encodePayload({ v: 1, online: false }), qos: 1, retain: true },
  });
  const stats = emptyBrokerStats();
  // The persistent session delivers what waited in the broker right after CONNACK (often in
  // the same read), before ingest has subscribed its handler: listen from the start and keep
  // those messages until it has.
  const handlers: MessageHandler[] = [];
  const early: [string, Buffer][] = [];
  client.on('message', (topic, payload) => {
    if (handlers.length === 0) early.push([topic, payload]);
    for (const handler of handlers) void handler(topic, payload);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`no answer within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      client.end(true);
      reject(collectorError('TANDEM_COLLECTOR_BROKER', `cannot connect to the broker at ${options.url}: ${error.message}`));
    };
    client.once('connect', () => {
      clearTimeout(timer);
      client.off('error', fail);
      resolve();
    });
    client.once('error', fail);
  });
  // The collector's last word on its state topic. When the connection drops, the broker
  // publishes our Will (online:false, retained) [MQTT-3.1.2-8]; after reconnecting, say it
  // again, or agents keep their backlogs paused for good (DESIGN.md).
  let lastState: Buffer | null = null;
  client.on('connect', () => {
    log.info({ url: options.url }, 'reconnected to the broker');
    if (lastState) {
      client.publish(COLLECTOR_STATE_TOPIC, lastState, { qos: 1, retain: true }, (error) => {
        if (error) log.warn({ err: error.message }, 'collector state not restated after reconnecting');
      });
    }
  });
  client.on('offline', () => log.warn({ url: options.url }, 'lost the broker; reconnecting'));
  client.on('error', (error) => log.warn({ err: error.message }, 'broker client error'));

  const shown = new URL(options.url);
  shown.username = '';
  shown.password = '';
  return {
    url: shown.toString().replace(/\/$/, ''),
    stats,
    async subscribe(filters: string[], handler: MessageHandler) {
      handlers.push(handler);
      for (const [topic, payload] of early.splice(0)) void handler(topic, payload);
      const granted = await client.subscribeAsync(filters, { qos: 1 });
      const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length) throw collectorError('TANDEM_COLLECTOR_BROKER', `the broker refused subscriptions to ${refused.join(', ')}; check its access list`);
    },
    async publish(topic: string, payload: Buffer, { qos, retain }: PublishOptions) {
      if (topic === COLLECTOR_STATE_TOPIC) lastState = payload;
      await client.publishAsync(topic, payload, { qos, retain });
    },
    async close() {
      await client.endAsync();
    },
  };
}
