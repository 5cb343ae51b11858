// Bounds what the embedded broker keeps for offline persistent sessions. aedes' in-memory
// persistence queues every QoS 1 message for an offline session without limit
// (toolchain.md), so an abandoned gateway session would grow forever. Policy: at most
// MAX_OFFLINE_MESSAGES per offline client; beyond it new messages are dropped for that
// client and counted. Nothing is lost by this: acks are re-sent when the gateway resends
// its readings, and the configuration is retained and delivered on subscribe anyway.
import type { Aedes } from 'aedes';
import type { BrokerStats } from './stats.js';

/** QoS 1 messages kept per offline persistent session. */
export const MAX_OFFLINE_MESSAGES = 100;

interface Sub {
  clientId: string;
}
interface Persistence {
  outgoingEnqueueCombi(subs: Sub[], packet: unknown, cb?: (err?: Error) => void): unknown;
}
interface BrokerInternals {
  persistence: Persistence;
  /** Registered from CONNECT on, i.e. already while its offline queue is being delivered. */
  clients: Record<string, object | undefined>;
}

export function capOfflineQueues(broker: Aedes, stats: BrokerStats): void {
  const internals = broker as unknown as BrokerInternals;
  const queued = new Map<string, number>();
  broker.on('client', (client) => queued.delete(client.id));
  const enqueue = internals.persistence.outgoingEnqueueCombi.bind(internals.persistence);
  internals.persistence.outgoingEnqueueCombi = (subs, packet, cb) => {
    const kept = subs.filter((sub) => {
      if (internals.clients[sub.clientId]) return true;
      const count = queued.get(sub.clientId) ?? 0;
      if (count >= MAX_OFFLINE_MESSAGES) {
        stats.offlineDropped++;
        return false;
      }
      queued.set(sub.clientId, count + 1);
      return true;
    });
    return enqueue(kept, packet, cb);
  };
}
