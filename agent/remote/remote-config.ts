// The collector's retained configuration (DESIGN.md "Wire protocol"): validate, apply
// atomically through the PollerSet, keep the last good one on disk, and ack the version
// that runs. An identical push (same version or same content) changes nothing, and a push
// that already failed is not tried again: a broker restart re-delivers the retained config.
import { SCHEMA_VERSION, formatIssues, parseMessage, decodePayload, type ConfigAck, type PollConfig } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import { canonicalJson } from './canonical-json.js';
import { loadLastGood, saveLastGood } from './config-store.js';
import type { PollerSet } from './poller-set.js';

export interface RemoteConfigOptions {
  /** The poll section of the local file, used until a remote config has been applied. */
  localPoll: PollConfig;
  lastGoodPath: string;
  pollers: PollerSet;
  ack: (ack: ConfigAck) => void;
  logger: Logger;
}

interface Verdict {
  version: number;
  content: string;
  status: ConfigAck['status'];
  errors: string[];
}

export function createRemoteConfig(options: RemoteConfigOptions) {
  const { pollers, logger } = options;
  const lastGood = loadLastGood(options.lastGoodPath, logger);
  let version: number | null = lastGood?.version ?? null;
  let poll: PollConfig = lastGood?.poll ?? options.localPoll;
  let failed: Verdict | undefined;
  // One change at a time, in arrival order, after the start.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  const ack = (forVersion: number, status: ConfigAck['status'], errors: string[] = []) =>
    options.ack({ v: SCHEMA_VERSION, version: forVersion, status, running: version, errors: errors.map((e) => e.slice(0, 500)).slice(0, 100), t: Date.now() });

  async function handle(payload: Buffer): Promise<void> {
    const parsed = parseMessage('config', payload);
    if (!parsed.ok) {
      const decoded = decodePayload(payload);
      const claimed = decoded.ok ? (decoded.value as { version?: unknown }).version : undefined;
      const errors = parsed.errors.map((i) => formatIssues([i]));
      logger.warn({ errors: errors.join('; ') }, 'rejected a remote config');
      if (Number.isInteger(claimed) && (claimed as number) >= 1) ack(claimed as number, 'rejected', errors);
      return;
    }
    const config = parsed.value;
    const content = canonicalJson(config.poll);
    if (config.version === version || content === canonicalJson(poll)) {
      if (config.version !== version) {
        version = config.version;
        saveLastGood(options.lastGoodPath, config);
      }
      return ack(config.version, 'unchanged');
    }
    if (failed && failed.version === config.version && failed.content === content) return ack(config.version, failed.status, failed.errors);

    logger.info({ version: config.version, running: version }, 'applying remote config');
    const result = await pollers.apply(config.poll);
    if (!result.ok) {
      failed = { version: config.version, content, status: 'rolled-back', errors: result.errors };
      logger.warn({ version: config.version, errors: result.errors.join('; ') }, 'remote config rolled back; the old one keeps polling');
      return ack(config.version, 'rolled-back', result.errors);
    }
    version = config.version;
    poll = config.poll;
    saveLastGood(options.lastGoodPath, config);
    logger.info({ version }, 'remote config applied');
    ack(config.version, 'applied');
  }

  return {
    /** Starts polling with the last good remote config, or the local one. */
    start: () => enqueue(() => pollers.start(poll)),
    onConfig: (payload: Buffer) =>
      void enqueue(() => handle(payload)).catch((error: Error) => logger.error({ err: error.message }, 'remote config handling failed')),
    version: () => version,
    /** Runs `job` between configuration changes (a scan takes a bus over). */
    exclusive: enqueue,
    /** Resolves when every config received so far has been handled. */
    settled: () => queue,
  };
}

export type RemoteConfig = ReturnType<typeof createRemoteConfig>;
