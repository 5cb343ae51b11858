// Operator commands to a gateway (read, scan, republish-state, set-log-level, write): sent on
// tandem/v1/<gw>/cmd, answered on …/cmd/reply. The last MAX_KEPT_COMMANDS are kept in memory
// with their replies; a command is an interactive act, not a record (the agent logs it too).
import { randomUUID } from 'node:crypto';
import { encodePayload, formatIssues, topicFor, validateMessage, type Command, type CommandReply } from '../../protocol/index.js';
import { collectorError } from '../errors.js';
import type { Publisher } from '../ingest/publisher.js';

/** Commands remembered with their replies (oldest forgotten first). */
export const MAX_KEPT_COMMANDS = 1000;

export interface CommandRecord {
  gatewayId: string;
  command: Command;
  reply: (CommandReply & { receivedAt: number }) | null;
}

export class CommandService {
  private readonly kept = new Map<string, CommandRecord>();

  constructor(
    private readonly publisher: Publisher,
    private readonly now: () => number = Date.now,
  ) {}

  async send(gatewayId: string, name: unknown, args: unknown): Promise<CommandRecord> {
    const command = { v: 1, id: randomUUID(), name, args: args ?? {}, t: this.now() };
    const checked = validateMessage('command', command);
    if (!checked.ok) throw collectorError('TANDEM_COLLECTOR_INVALID', formatIssues(checked.errors));
    const record: CommandRecord = { gatewayId, command: checked.value, reply: null };
    this.kept.set(command.id, record);
    if (this.kept.size > MAX_KEPT_COMMANDS) this.kept.delete(this.kept.keys().next().value!);
    await this.publisher.publish(topicFor(gatewayId, 'command'), encodePayload(command), { qos: 1, retain: false });
    return record;
  }

  /** A reply from `gatewayId`; replies to unknown or another gateway's commands are ignored. */
  recordReply(gatewayId: string, reply: CommandReply, receivedAt: number): boolean {
    const record = this.kept.get(reply.id);
    if (!record || record.gatewayId !== gatewayId) return false;
    record.reply = { ...reply, receivedAt };
    return true;
  }

  get(id: string): CommandRecord | null {
    return this.kept.get(id) ?? null;
  }
}
