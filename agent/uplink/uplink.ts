// The agent's MQTT link to the collector: connects (and reconnects) the persistent
// session, announces the gateway online (birth) beside the Last Will, subscribes to what
// the collector sends, and hands delivery to the sender. Nothing here ever blocks polling.
import mqtt, { type MqttClient } from 'mqtt';
import { COLLECTOR_STATE_TOPIC, TOPIC_KINDS, encodePayload, topicFor, type TopicKind } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { AgentConfig } from '../config/schema.js';
import type { Outbox } from '../outbox/outbox.js';
import { createDispatcher, type InboundHandlers } from './inbound.js';
import { mqttOptions, stateMessage } from './mqtt-options.js';
import { createSender } from './sender.js';

/** How long a clean shutdown waits for the offline state to reach the broker (ms). */
const GOODBYE_TIMEOUT_MS = 2000;

export interface UplinkOptions {
  config: AgentConfig;
  outbox: Outbox;
  logger: Logger;
  agentVersion: string;
  configVersion: () => number | null;
  handlers: Pick<InboundHandlers, 'config' | 'command' | 'commandRefused'>;
}

export interface UplinkStatus {
  connected: boolean;
  collectorOnline: boolean;
  /** Local clock minus the collector's, from its last ack (ms); null before the first. */
  clockOffsetMs: number | null;
  unacked: number;
}

export function createUplink(options: UplinkOptions) {
  const { config, logger } = options;
  const gw = config.gatewayId;
  let collectorOnline = false;
  let clockOffsetMs: number | null = null;
  const client: MqttClient = mqtt.connect(config.mqtt.url, mqttOptions(config));

  const publish = (kind: TopicKind, payload: Buffer): void => {
    const { qos, retain } = TOPIC_KINDS[kind];
    client.publish(topicFor(gw, kind), payload, { qos, retain }, (error) => {
      if (error) logger.debug({ kind, err: error.message }, 'publish not confirmed; the outbox keeps the data');
    });
  };
  const sender = createSender({
    gatewayId: gw,
    outbox: options.outbox,
    publish,
    backlogReadingsPerS: config.uplink.backlogReadingsPerS,
    ackTimeoutMs: config.uplink.ackTimeoutS * 1000,
    logger,
  });
  const publishState = () =>
    publish('state', stateMessage(true, { t: Date.now(), agent: options.agentVersion, configVersion: options.configVersion() }));

  const dispatch = createDispatcher(
    gw,
    {
      ...options.handlers,
      ack(ranges, message) {
        clockOffsetMs = Date.now() - message.t;
        sender.onAck(ranges);
      },
      collectorState(state) {
        if (state.online !== collectorOnline) logger.info({ online: state.online }, 'collector state');
        collectorOnline = state.online;
        sender.setCollectorOnline(state.online);
      },
    },
    logger,
  );

  client.on('connect', (connack) => {
    logger.info({ url: config.mqtt.url, sessionPresent: connack.sessionPresent }, 'uplink connected');
    const topics = [topicFor(gw, 'config'), topicFor(gw, 'command'), topicFor(gw, 'ack'), COLLECTOR_STATE_TOPIC];
    client.subscribe(topics, { qos: 1 }, (error) => {
      if (error) logger.warn({ err: error.message }, 'subscribe failed');
    });
    publishState();
    sender.setLink(true);
  });
  client.on('close', () => sender.setLink(false));
  client.on('offline', () => logger.warn('uplink offline; readings wait in the outbox'));
  // Each failed reconnect attempt errors; the 'offline' line above already said the link is down.
  client.on('error', (error) => logger.debug({ err: error.message }, 'uplink connection attempt failed'));
  client.on('message', (topic, payload) => dispatch(topic, payload));

  return {
    offerLive: sender.offerLive,
    /** Publishes a message of `kind` on this gateway's topic, if connected (health, acks, replies). */
    send(kind: TopicKind, message: unknown): void {
      if (client.connected) publish(kind, encodePayload(message));
    },
    publishState,
    status(): UplinkStatus {
      return { connected: client.connected, collectorOnline, clockOffsetMs, unacked: sender.unacked() };
    },
    /** Marks the gateway offline (a clean disconnect sends no Last Will, MQTT 3.1.1 §3.14.4) and closes. */
    async stop(): Promise<void> {
      sender.stop();
      if (client.connected) {
        await Promise.race([
          client.publishAsync(topicFor(gw, 'state'), stateMessage(false, { t: Date.now() }), { qos: 1, retain: true }).catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, GOODBYE_TIMEOUT_MS).unref()),
        ]);
      }
      await client.endAsync(!client.connected);
    },
  };
}

export type Uplink = ReturnType<typeof createUplink>;
