// The embedded MQTT 3.1.1 broker (aedes): per-gateway credentials checked on connect, an
// access list confining each gateway to its own subtree, a packet size limit and bounded
// offline queues. The collector itself talks to it in process (no socket, no credentials).
import { Aedes, type AuthenticateError, type PublishPacket } from 'aedes';
import { COLLECTOR_ID, MAX_PAYLOAD_BYTES } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { PublishOptions } from '../ingest/publisher.js';
import { mayPublish, maySubscribe } from './acl.js';
import type { MessageBus, MessageHandler } from './message-bus.js';
import { capOfflineQueues } from './offline-queue-cap.js';
import { emptyBrokerStats } from './stats.js';
import { startListeners } from './listeners.js';

/** Largest MQTT packet accepted (bytes): the largest payload plus room for topic and headers. */
export const MAX_PACKET_BYTES = MAX_PAYLOAD_BYTES + 1024;
/** CONNACK return code 4 (MQTT 3.1.1 §3.2.2.3): bad user name or password. */
const BAD_USERNAME_OR_PASSWORD = 4;
/** CONNACK return code 3: server unavailable (the client retries). */
const SERVER_UNAVAILABLE = 3;

export interface EmbeddedBrokerOptions {
  host: string;
  port: number;
  /** PEM key and certificate: the listeners speak TLS (mqtts://, wss://). */
  tls?: { key: Buffer; cert: Buffer };
  /** Also accept MQTT over WebSocket on this port. */
  wsPort?: number;
  log: Logger;
  /** Checks a gateway's credentials (username = gateway id). */
  checkGateway(gatewayId: string, password: string): Promise<boolean>;
  /** Whether an id is a registered gateway's (a client may not use another gateway's id). */
  gatewayExists(id: string): Promise<boolean>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<MessageBus> {
  const { log } = options;
  const stats = emptyBrokerStats();
  const refuse = (what: 'publishRefused' | 'subscribeRefused', client: string, topic: string) => {
    stats[what]++;
    log.warn({ clientId: client, topic }, what === 'publishRefused' ? 'publish refused by access list' : 'subscribe refused by access list');
  };
  const gatewayOf = new WeakMap<object, string>();
  // Until ingest has subscribed, a gateway's publishes would reach no one (aedes drops a
  // message without subscribers): connections wait for it with CONNACK 3, "server unavailable".
  let accepting = false;

  const broker = await Aedes.createBroker({
    id: COLLECTOR_ID,
    authenticate(client, username, password, done) {
      const gatewayId = username ?? '';
      const fail = (reason: string) => {
        stats.authRefused++;
        log.warn({ clientId: client.id, username: gatewayId, reason }, 'connection refused');
        const error = new Error(reason) as AuthenticateError;
        error.returnCode = BAD_USERNAME_OR_PASSWORD;
        done(error, false);
      };
      if (!accepting) {
        const error = new Error('collector is starting') as AuthenticateError;
        error.returnCode = SERVER_UNAVAILABLE;
        return done(error, false);
      }
      if (!gatewayId || !password) return fail('missing username or password');
      Promise.all([options.checkGateway(gatewayId, password.toString('utf8')), client.id !== gatewayId && options.gatewayExists(client.id)]).then(
        ([ok, takesOver]) => {
          if (!ok) return fail('unknown gateway or wrong password');
          // Another gateway's client id would take over its session [MQTT-3.1.4-2].
          if (takesOver) return fail(`client id '${client.id}' belongs to another gateway`);
          gatewayOf.set(client, gatewayId);
          done(null, true);
        },
        (error: Error) => fail(`credential check failed: ${error.message}`),
      );
    },
    authorizePublish(client, packet, done) {
      const gatewayId = client ? gatewayOf.get(client) : undefined;
      if (client && (!gatewayId || !mayPublish(gatewayId, packet.topic))) {
        refuse('publishRefused', client.id, packet.topic);
        return done(new Error(`publish to ${packet.topic} not allowed`));
      }
      done(null);
    },
    authorizeSubscribe(client, subscription, done) {
      const gatewayId = gatewayOf.get(client);
      if (!gatewayId || !maySubscribe(gatewayId, subscription.topic)) {
        refuse('subscribeRefused', client.id, subscription.topic);
        return done(null, null); // SUBACK 0x80 for this filter [MQTT-3.9.3]
      }
      done(null, subscription);
    },
  });
  capOfflineQueues(broker, stats);
  broker.on('clientReady', () => stats.connected++);
  broker.on('clientDisconnect', () => stats.connected--);
  broker.on('clientError', (client, error) => log.debug({ clientId: client.id, err: error.message }, 'client error'));

  const listeners = await startListeners(broker, {
    host: options.host,
    port: options.port,
    wsPort: options.wsPort,
    tls: options.tls,
    maxPacketBytes: MAX_PACKET_BYTES,
    onOversize(remote, announced) {
      stats.oversizeRefused++;
      log.warn({ remote, announced }, `connection closed: packet of ${announced} bytes exceeds ${MAX_PACKET_BYTES}`);
    },
  }).catch((error) => {
    broker.close();
    throw error;
  });

  return {
    url: listeners.url,
    wsUrl: listeners.wsUrl,
    stats,
    async subscribe(filters: string[], handler: MessageHandler) {
      for (const filter of filters) {
        await new Promise<void>((resolve) =>
          broker.subscribe(
            filter,
            (packet, callback) => {
              // The callback releases aedes' delivery slot: holding it until ingest has the
              // message queued is the backpressure on fast publishers.
              handler(packet.topic, packet.payload as Buffer).then(callback, callback);
            },
            resolve,
          ),
        );
      }
      accepting = true;
    },
    publish(topic: string, payload: Buffer, { qos, retain }: PublishOptions) {
      const packet: PublishPacket = { cmd: 'publish', topic, payload, qos, retain, dup: false };
      return new Promise<void>((resolve, reject) => broker.publish(packet, (error) => (error ? reject(error) : resolve())));
    },
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await listeners.close();
    },
  };
}
