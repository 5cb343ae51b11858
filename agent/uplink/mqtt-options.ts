// The MQTT session the agent keeps with the broker: persistent (clean session off, so
// QoS 1 messages for the agent wait while it is away, MQTT 3.1.1 §3.1.2.4), with a
// retained Last Will that marks the gateway offline if the link dies (§3.1.2.5).
import { readFileSync } from 'node:fs';
import type { IClientOptions } from 'mqtt';
import { SCHEMA_VERSION, topicFor, type State } from '../../protocol/index.js';
import type { AgentConfig } from '../config/schema.js';

/** MQTT 3.1.1: the embedded broker (aedes) refuses v5 clients (toolchain.md). */
const MQTT_3_1_1 = 4;
/** Wait between reconnect attempts (ms); a 4G link that drops comes back within seconds. */
const RECONNECT_PERIOD_MS = 2000;
const CONNECT_TIMEOUT_MS = 15_000;
/** The broker declares us gone after 1.5 × this without traffic (s). */
const KEEPALIVE_S = 30;

export function stateMessage(online: boolean, extra: Omit<State, 'v' | 'online'> = {}): Buffer {
  return Buffer.from(JSON.stringify({ v: SCHEMA_VERSION, online, ...extra } satisfies State));
}

export function mqttOptions(config: AgentConfig): IClientOptions {
  const { mqtt, gatewayId } = config;
  return {
    clientId: gatewayId,
    clean: false,
    protocolVersion: MQTT_3_1_1,
    reconnectPeriod: RECONNECT_PERIOD_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    keepalive: KEEPALIVE_S,
    ...(mqtt.username !== undefined ? { username: mqtt.username } : {}),
    ...(mqtt.password !== undefined ? { password: mqtt.password } : {}),
    ...(mqtt.ca ? { ca: readFileSync(mqtt.ca) } : {}),
    ...(mqtt.cert ? { cert: readFileSync(mqtt.cert) } : {}),
    ...(mqtt.key ? { key: readFileSync(mqtt.key) } : {}),
    will: { topic: topicFor(gatewayId, 'state'), payload: stateMessage(false), qos: 1, retain: true },
  };
}
