// Who may publish and subscribe where. A gateway lives under tandem/v1/<its id>/ (topics.ts):
// it publishes only its `up` kinds there and subscribes only there, plus the collector's
// retained state. Pure functions, so the rules are tested without a broker.
import { COLLECTOR_STATE_TOPIC, gatewayPrefix, parseTopic, TOPIC_KINDS } from '../../protocol/index.js';

export function mayPublish(gatewayId: string, topic: string): boolean {
  const parsed = parseTopic(topic);
  return parsed !== null && parsed.gatewayId === gatewayId && TOPIC_KINDS[parsed.kind].direction === 'up';
}

export function maySubscribe(gatewayId: string, filter: string): boolean {
  if (filter === COLLECTOR_STATE_TOPIC) return true;
  const prefix = gatewayPrefix(gatewayId);
  // Wildcards after the prefix can only match inside the gateway's own subtree [MQTT-4.7.1].
  return filter.startsWith(prefix) && filter.length > prefix.length;
}
