// MQTT topic scheme. Everything of a gateway lives under tandem/v1/<gatewayId>/, so a
// broker ACL can confine each gateway to its own subtree with one prefix rule.

export const TOPIC_ROOT = 'tandem/v1';

/** Gateway ids: lowercase letters, digits, '-' and '_', 1–64 chars, not starting with '_'. */
export const GATEWAY_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Reserved pseudo-gateway under which the collector publishes its own retained state. */
export const COLLECTOR_ID = '_collector';

/**
 * Message kinds by topic suffix, with direction and MQTT flags.
 * `up` = gateway → collector, `down` = collector → gateway.
 */
export const TOPIC_KINDS = {
  data: { suffix: 'data', direction: 'up', qos: 1, retain: false },
  backlog: { suffix: 'backlog', direction: 'up', qos: 1, retain: false },
  gap: { suffix: 'gap', direction: 'up', qos: 1, retain: false },
  state: { suffix: 'state', direction: 'up', qos: 1, retain: true },
  health: { suffix: 'health', direction: 'up', qos: 0, retain: false },
  configAck: { suffix: 'config/ack', direction: 'up', qos: 1, retain: false },
  commandReply: { suffix: 'cmd/reply', direction: 'up', qos: 1, retain: false },
  config: { suffix: 'config', direction: 'down', qos: 1, retain: true },
  command: { suffix: 'cmd', direction: 'down', qos: 1, retain: false },
  ack: { suffix: 'ack', direction: 'down', qos: 1, retain: false },
} as const;

export type TopicKind = keyof typeof TOPIC_KINDS;

const KIND_BY_SUFFIX = new Map<string, TopicKind>(
  (Object.keys(TOPIC_KINDS) as TopicKind[]).map((kind) => [TOPIC_KINDS[kind].suffix, kind]),
);

export function isGatewayId(id: string): boolean {
  return GATEWAY_ID_PATTERN.test(id);
}

export function topicFor(gatewayId: string, kind: TopicKind): string {
  return `${TOPIC_ROOT}/${gatewayId}/${TOPIC_KINDS[kind].suffix}`;
}

/** The collector's retained online/offline state, readable by every gateway. */
export const COLLECTOR_STATE_TOPIC = `${TOPIC_ROOT}/${COLLECTOR_ID}/state`;

/** Subscription filter for one kind across all gateways, e.g. tandem/v1/+/data. */
export function filterFor(kind: TopicKind): string {
  return `${TOPIC_ROOT}/+/${TOPIC_KINDS[kind].suffix}`;
}

/** Gateway-side prefix; an ACL allows a gateway only topics under it (plus the collector state). */
export function gatewayPrefix(gatewayId: string): string {
  return `${TOPIC_ROOT}/${gatewayId}/`;
}

export interface ParsedTopic {
  gatewayId: string;
  kind: TopicKind;
}

/** Parses a Tandem topic; null for anything outside the scheme. */
export function parseTopic(topic: string): ParsedTopic | null {
  if (!topic.startsWith(TOPIC_ROOT + '/')) return null;
  const rest = topic.slice(TOPIC_ROOT.length + 1);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const gatewayId = rest.slice(0, slash);
  const kind = KIND_BY_SUFFIX.get(rest.slice(slash + 1));
  if (!kind || !isGatewayId(gatewayId)) return null;
  return { gatewayId, kind };
}
