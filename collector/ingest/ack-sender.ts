// Application acks (protocol/README.md "Ack"): tell a gateway which sequence numbers it may
// drop from its outbox. Sent only for what is durably stored or recorded — readings after
// their commit (write-queue.ts), gap markers after they are recorded (handlers/gap.ts).
import { encodePayload, formatSeq, topicFor, type Ack, type SeqRange } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { Publisher } from './publisher.js';
import type { IngestStats } from './stats.js';

/** AckSchema allows at most 10 000 ranges per message. */
const MAX_RANGES_PER_ACK = 10_000;

export class AckSender {
  constructor(
    private readonly publisher: Publisher,
    private readonly stats: IngestStats,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  /** Publishes acks covering `ranges` on the gateway's ack topic; never throws. */
  async send(gatewayId: string, ranges: readonly SeqRange[]): Promise<void> {
    const wire = ranges.map(({ from, to }) => [formatSeq(from), formatSeq(to)] as [string, string]);
    for (let i = 0; i < wire.length; i += MAX_RANGES_PER_ACK) {
      const ack: Ack = { v: 1, ranges: wire.slice(i, i + MAX_RANGES_PER_ACK), t: this.now() };
      try {
        await this.publisher.publish(topicFor(gatewayId, 'ack'), encodePayload(ack), { qos: 1, retain: false });
        this.stats.acksSent++;
      } catch (error) {
        // The gateway resends what stays unacked; the store ignores the duplicates.
        this.log.warn({ gatewayId, err: (error as Error).message }, 'ack not published');
      }
    }
  }
}
