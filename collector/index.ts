// The collector as a library: `startCollector` wires store → broker → ingest → config
// service → HTTP API, and `stop()` takes them down in the reverse order, committing what
// ingest still holds. The CLI (cli.ts), the demo and the benchmarks all start it here.
import { COLLECTOR_STATE_TOPIC, encodePayload } from '../protocol/index.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { connectExternalBroker } from './broker/external.js';
import { startEmbeddedBroker } from './broker/embedded.js';
import type { MessageBus } from './broker/message-bus.js';
import { verifyPassword } from './broker/secrets.js';
import { CommandService } from './commands/command-service.js';
import { ConfigService } from './config-service/config-service.js';
import { startHttpServer } from './http/server.js';
import { NO_ANALYSIS, type Analysis, type AnalysisFactory } from './ingest/analysis.js';
import { Ingest, UP_KINDS } from './ingest/ingest.js';
import { startLiveModels } from './live-models.js';
import { filterFor } from '../protocol/index.js';
import { startRetention, DEFAULT_RAW_RETENTION_DAYS } from './store/retention.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';

export type { Store } from './store/store.js';
export type { Analysis, AnalysisFactory, StoredEvent } from './ingest/analysis.js';
export type { Route, ApiContext, ApiRequest, ApiResponse } from './http/router.js';
export { createApiToken } from './http/auth.js';

export interface CollectorOptions {
  /** SQLite file (created and upgraded as needed). */
  db: string;
  /** Interface to listen on (default 0.0.0.0). */
  host?: string;
  /** Embedded broker port (default 1883; 0 picks a free one). Ignored with `broker`. */
  mqttPort?: number;
  /** HTTP API port (default 8080; 0 picks a free one). */
  httpPort?: number;
  /** mqtt://user:pass@host:port of an external broker instead of the embedded one. */
  broker?: string;
  /** MQTT client id on the external broker (default tandem-collector). */
  brokerClientId?: string;
  /** PEM key and certificate: the embedded broker listens with TLS (mqtts://, wss://). */
  tls?: { key: Buffer; cert: Buffer };
  /** Also accept MQTT over WebSocket on this port (embedded broker; 0 picks a free one). */
  wsPort?: number;
  /** MQTT URL handed to gateways at enrolment (default: where the broker listens). */
  publicMqttUrl?: string;
  /** Raw readings older than this are deleted; minute rollups stay (default 400 days). */
  rawRetentionDays?: number;
  /**
   * What runs after each commit. Default: the live models with the alert service, webhooks
   * and the alert API (live-models.ts). An Analysis (or a factory given the open store)
   * replaces them; `models: false` runs none.
   */
  analysis?: Analysis | AnalysisFactory;
  models?: boolean;
  /** Extra HTTP routes (e.g. the alert API) mounted beside the built-in ones. */
  routes?: import('./http/router.js').Route[];
  log?: Logger;
}

export interface RunningCollector {
  mqttUrl: string;
  /** The embedded broker's WebSocket URL, when --ws-port was given. */
  wsUrl: string | null;
  httpUrl: string;
  store: Store;
  ingest: Ingest;
  bus: MessageBus;
  config: ConfigService;
  stop(): Promise<void>;
}

export async function startCollector(options: CollectorOptions): Promise<RunningCollector> {
  const log = options.log ?? createLogger('collector');
  const host = options.host ?? '0.0.0.0';
  const store = new SqliteStore(options.db);
  const cleanups: (() => Promise<void> | void)[] = [() => store.close()];
  const stopAll = async () => {
    // Last started, first stopped; each runs once even if stop() is called twice.
    while (cleanups.length) await cleanups.pop()!();
  };
  try {
    const bus = options.broker
      ? await connectExternalBroker({ url: options.broker, clientId: options.brokerClientId ?? 'tandem-collector', log })
      : await startEmbeddedBroker({ host, port: options.mqttPort ?? 1883, wsPort: options.wsPort, tls: options.tls, log, checkGateway: gatewayChecker(store), gatewayExists: async (id) => (await store.gateway(id)) !== null });
    cleanups.push(() => bus.close());
    const config = new ConfigService(store, bus, log);
    const live = options.analysis === undefined && options.models !== false ? startLiveModels(store, log) : null;
    const analysis = live?.analysis ?? (typeof options.analysis === 'function' ? await options.analysis({ store, log }) : (options.analysis ?? NO_ANALYSIS));
    cleanups.push(() => analysis.stop?.());
    const commands = new CommandService(bus);
    const ingest = new Ingest({ store, publisher: bus, analysis, log, onCommandReply: (gw, reply, at) => commands.recordReply(gw, reply, at) });
    await bus.subscribe(UP_KINDS.map(filterFor), (topic, payload) => ingest.handle(topic, payload));
    cleanups.push(async () => {
      await ingest.flush();
      await bus.publish(COLLECTOR_STATE_TOPIC, encodePayload({ v: 1, online: false }), { qos: 1, retain: true });
    });
    await config.start();
    cleanups.push(() => config.stop());
    const retention = startRetention(store, options.rawRetentionDays ?? DEFAULT_RAW_RETENTION_DAYS, log);
    cleanups.push(() => retention.stop());
    const http = await startHttpServer({
      host,
      port: options.httpPort ?? 8080,
      store,
      ingest,
      bus,
      config,
      commands,
      analysis,
      publicMqttUrl: options.publicMqttUrl ?? bus.url,
      routes: [...(live?.routes ?? []), ...(options.routes ?? [])],
      log,
    });
    cleanups.push(() => http.close());
    await bus.publish(COLLECTOR_STATE_TOPIC, encodePayload({ v: 1, online: true }), { qos: 1, retain: true });
    log.info({ mqtt: bus.url, http: http.url, db: options.db }, 'collector started');
    return { mqttUrl: bus.url, wsUrl: bus.wsUrl ?? null, httpUrl: http.url, store, ingest, bus, config, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function gatewayChecker(store: Store) {
  return async (gatewayId: string, password: string) => {
    const hash = await store.gatewayPasswordHash(gatewayId);
    return hash !== null && (await verifyPassword(password, hash));
  };
}
