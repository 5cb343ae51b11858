// The running agent: outbox ← pollers, outbox → uplink, remote config and commands from
// the collector, health every interval. stop() shuts down in the order that loses
// nothing: polling first (its last readings are committed), then the uplink (offline
// state published, clean disconnect), then the outbox file.
import { SCHEMA_VERSION } from '../protocol/index.js';
import { createLogger, type Logger } from '../lib/logger.js';
import type { AgentConfig } from './config/schema.js';
import { remoteConfigPath } from './config/load.js';
import { openSqliteOutbox } from './outbox/sqlite-outbox.js';
import { createUplink } from './uplink/uplink.js';
import { PollerSet } from './remote/poller-set.js';
import { createRemoteConfig } from './remote/remote-config.js';
import { runCommand } from './remote/commands.js';
import { logLevelControl } from './remote/log-level.js';
import { startHealth } from './health/health.js';
import { readStatusFile, writeStatusFile } from './health/status-file.js';
import type { PolledReading } from './polling/index.js';
import { AGENT_VERSION } from './health/versions.js';

export interface Agent {
  /** Resolves once the start-up configuration is polling. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export function startAgent(config: AgentConfig, logger: Logger = createLogger('agent', config.logLevel)): Agent {
  const startedAt = Date.now();
  const setLogLevel = logLevelControl(logger);
  const outbox = openSqliteOutbox({ ...config.outbox, logger });
  logger.info({ gatewayId: config.gatewayId, outbox: config.outbox.path, lastSeq: String(outbox.stats().lastSeq) }, 'agent starting');

  const onReading = (reading: PolledReading) => {
    try {
      uplink.offerLive(outbox.append([reading]));
    } catch (error) {
      // The outbox could not commit (disk failure): this reading was never taken. Say so loudly.
      logger.error({ meter: reading.meter, t: reading.t, err: (error as Error).message }, 'outbox write failed: reading not kept');
    }
  };
  const pollers = new PollerSet({ onReading, logger, allowWrites: config.allowWrites, checkMs: config.uplink.configCheckS * 1000 });
  const remote = createRemoteConfig({
    localPoll: config.poll,
    lastGoodPath: remoteConfigPath(config.file),
    pollers,
    ack: (ack) => uplink.send('configAck', ack),
    logger,
  });
  const uplink = createUplink({
    config,
    outbox,
    logger,
    agentVersion: AGENT_VERSION,
    configVersion: remote.version,
    handlers: {
      config: remote.onConfig,
      command: (command) =>
        void runCommand(command, {
          pollers,
          allowWrites: config.allowWrites,
          configFile: config.file,
          republishState: uplink.publishState,
          exclusive: remote.exclusive,
          setLogLevel,
          reply: (reply) => uplink.send('commandReply', reply),
          logger,
        }),
      commandRefused: (id, error) => uplink.send('commandReply', { v: SCHEMA_VERSION, id, ok: false, error: error.slice(0, 1000), t: Date.now() }),
    },
  });
  const ready = remote.start();
  const health = startHealth(
    { startedAt, outbox, outboxPath: config.outbox.path, buses: () => pollers.stats(), uplink: uplink.status, configVersion: remote.version },
    config.uplink.healthIntervalS * 1000,
    (message) => uplink.send('health', message),
    logger,
  );

  return {
    ready,
    async stop() {
      health.stop();
      await ready.catch(() => undefined);
      await remote.settled().catch(() => undefined);
      await pollers.stop();
      await uplink.stop();
      const status = readStatusFile(config.outbox.path);
      if (status) writeStatusFile(config.outbox.path, { ...status, stoppedAt: Date.now(), uplink: uplink.status() });
      outbox.close();
      logger.info('agent stopped');
    },
  };
}
