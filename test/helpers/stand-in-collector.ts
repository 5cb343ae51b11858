// A test-side stand-in for the collector's MQTT side: keeps what a gateway sends (readings
// by seq, counting duplicates; gaps; config acks; command replies; health) and answers
// readings and gaps with application Acks. Used where the real collector is not the point.
import mqtt from 'mqtt';
import {
  COLLECTOR_STATE_TOPIC, encodePayload, decodeBatch, formatSeq, parseMessage, parseTopic, toRanges, topicFor,
  type ConfigAck, type CommandReply, type Config, type Gap, type Health, type Reading,
} from '../../protocol/index.js';

export interface StandInCollector {
  readings: Map<bigint, Reading>;
  /** Readings in arrival order, duplicates included, with the topic kind they came on. */
  arrivals: (Reading & { kind: 'data' | 'backlog' })[];
  duplicates: number;
  gaps: Gap[];
  configAcks: ConfigAck[];
  replies: CommandReply[];
  health: Health[];
  /** Messages that broke the protocol, with the reasons: a test expects none. */
  malformed: string[];
  /** While false, nothing is acknowledged (a collector that has not stored anything). */
  acking: boolean;
  /** While false, gap reports are recorded but not acknowledged. */
  ackingGaps: boolean;
  publishConfig(config: Config): Promise<void>;
  publish(kind: 'command', message: unknown): Promise<void>;
  waitFor(what: string, condition: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startStandInCollector(url: string, gatewayId: string): Promise<StandInCollector> {
  const client = await mqtt.connectAsync(url, { protocolVersion: 4, clientId: `stand-in-${gatewayId}-${process.pid}`, clean: true, reconnectPeriod: 200 });
  let retainedConfig: Config | undefined;
  // Like the collector: on (re)connect, say online and re-publish the retained config, which a
  // broker without persistence lost when it restarted.
  const announce = () => {
    client.publish(COLLECTOR_STATE_TOPIC, encodePayload({ v: 1, online: true, t: Date.now() }), { qos: 1, retain: true });
    if (retainedConfig) client.publish(topicFor(gatewayId, 'config'), encodePayload(retainedConfig), { qos: 1, retain: true });
  };
  client.on('connect', announce);
  const self: StandInCollector = {
    readings: new Map(), arrivals: [], duplicates: 0, gaps: [], configAcks: [], replies: [], health: [], malformed: [], acking: true, ackingGaps: true,
    async publishConfig(config) {
      retainedConfig = config;
      await client.publishAsync(topicFor(gatewayId, 'config'), encodePayload(config), { qos: 1, retain: true });
    },
    async publish(kind, message) {
      await client.publishAsync(topicFor(gatewayId, kind), encodePayload(message), { qos: 1 });
    },
    async waitFor(what, condition, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      // Leave no retained messages of this test behind on a shared broker.
      for (const kind of ['config', 'state'] as const) {
        await client.publishAsync(topicFor(gatewayId, kind), Buffer.alloc(0), { qos: 1, retain: true }).catch(() => undefined);
      }
      await client.endAsync();
    },
  };
  const ack = (seqs: bigint[]) => sendAck(toRanges(seqs).map((r) => [formatSeq(r.from), formatSeq(r.to)]));
  const sendAck = (ranges: string[][]) => {
    if (!self.acking) return;
    client.publish(topicFor(gatewayId, 'ack'), encodePayload({ v: 1, ranges, t: Date.now() }), { qos: 1 });
  };
  client.on('message', (topic, payload) => {
    const kind = parseTopic(topic)?.kind;
    if (kind === 'data' || kind === 'backlog') {
      const batch = parseMessage(kind, payload);
      if (!batch.ok) return void self.malformed.push(`${topic}: ${JSON.stringify(batch.errors)}`);
      const readings = decodeBatch(batch.value);
      for (const r of readings) {
        self.arrivals.push({ ...r, kind });
        if (self.readings.has(r.seq)) self.duplicates++;
        else self.readings.set(r.seq, r);
      }
      ack(readings.map((r) => r.seq));
    } else if (kind === 'gap') {
      const gap = parseMessage('gap', payload);
      if (gap.ok) {
        self.gaps.push(gap.value);
        if (self.ackingGaps) sendAck([[gap.value.from, gap.value.to]]);
      }
    } else if (kind === 'configAck') {
      const message = parseMessage('configAck', payload);
      if (message.ok) self.configAcks.push(message.value);
    } else if (kind === 'commandReply') {
      const message = parseMessage('commandReply', payload);
      if (message.ok) self.replies.push(message.value);
    } else if (kind === 'health') {
      const message = parseMessage('health', payload);
      if (message.ok) self.health.push(message.value);
      else self.malformed.push(`${topic}: ${JSON.stringify(message.errors)}`);
    }
  });
  await client.subscribeAsync(`tandem/v1/${gatewayId}/#`, { qos: 1 });
  announce();
  return self;
}
