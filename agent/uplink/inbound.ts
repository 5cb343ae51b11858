// One dispatcher for what the collector sends the agent: one handler per message kind.
// A message that does not parse is logged and dropped; it never stops the agent.
import { COLLECTOR_STATE_TOPIC, decodePayload, parseMessage, parseSeq, parseTopic, formatIssues, type Ack, type Command, type State } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { SeqRange } from '../../protocol/index.js';

export interface InboundHandlers {
  ack(ranges: SeqRange[], message: Ack): void;
  collectorState(state: State): void;
  /** The raw payload: the remote-config module validates it and acks even a rejected one. */
  config(payload: Buffer): void;
  command(command: Command): void;
  /** A command that does not validate but carries an id: answer it with the reason. */
  commandRefused(id: string, reason: string): void;
}

export function createDispatcher(gatewayId: string, handlers: InboundHandlers, logger: Logger) {
  return (topic: string, payload: Buffer): void => {
    if (topic === COLLECTOR_STATE_TOPIC) {
      // An empty retained payload clears the topic: treat as not online.
      if (payload.length === 0) return handlers.collectorState({ v: 1, online: false });
      const state = parseMessage('state', payload);
      if (state.ok) handlers.collectorState(state.value);
      else logger.warn({ topic, errors: formatIssues(state.errors) }, 'ignored a malformed collector state');
      return;
    }
    const parsed = parseTopic(topic);
    if (!parsed || parsed.gatewayId !== gatewayId) return;
    switch (parsed.kind) {
      case 'ack': {
        const ack = parseMessage('ack', payload);
        if (!ack.ok) return void logger.warn({ topic, errors: formatIssues(ack.errors) }, 'ignored a malformed ack');
        return handlers.ack(ack.value.ranges.map(([from, to]) => ({ from: parseSeq(from), to: parseSeq(to) })), ack.value);
      }
      case 'config':
        if (payload.length > 0) handlers.config(payload);
        return;
      case 'command': {
        const command = parseMessage('command', payload);
        if (command.ok) return handlers.command(command.value);
        const reason = formatIssues(command.errors);
        logger.warn({ topic, errors: reason }, 'refused a malformed command');
        // Answer it when it names an id the collector can match the refusal to.
        const decoded = decodePayload(payload);
        const id = decoded.ok ? (decoded.value as { id?: unknown }).id : undefined;
        if (typeof id === 'string' && id.length > 0 && id.length <= 64) handlers.commandRefused(id, `malformed command: ${reason}`);
        return;
      }
      default:
        return;
    }
  };
}
