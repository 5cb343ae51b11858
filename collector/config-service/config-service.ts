// Keeps every gateway's retained configuration in step with the registry: a new version only
// when the derived content changes (an identical push changes nothing, DESIGN.md), published
// retained on tandem/v1/<gw>/config, and acks recorded by ingest (handlers/config-ack.ts).
import { encodePayload, formatIssues, pollConfigIssues, SCHEMA_VERSION, topicFor, type Config } from '../../protocol/index.js';
import type { Logger } from '../../lib/logger.js';
import type { Publisher } from '../ingest/publisher.js';
import type { Store } from '../store/store.js';
import { configHash, derivePollConfig } from './derive.js';

/** How often the registry is checked for changes made by another process, e.g. the CLI (ms). */
export const REGISTRY_POLL_MS = 1000;

export interface SyncResult {
  gatewayId: string;
  version: number | null;
  changed: boolean;
  /** Why no configuration could be derived (the previous version stays in force). */
  problem?: string;
}

export class ConfigService {
  private timer: NodeJS.Timeout | null = null;
  private seenRevision = -1;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly publisher: Publisher,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Publishes every gateway's current version (retained state may be lost with the broker), then follows the registry. */
  async start(): Promise<void> {
    await this.syncAll(true);
    this.timer = setInterval(() => void this.syncIfChanged(), REGISTRY_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async syncIfChanged(): Promise<void> {
    if ((await this.store.registryRevision()) !== this.seenRevision) await this.syncAll(false);
  }

  /** Serialised: two syncs never race to create the same version. */
  syncAll(republish: boolean): Promise<SyncResult[]> {
    const next = this.running.then(async () => {
      this.seenRevision = await this.store.registryRevision();
      const results: SyncResult[] = [];
      for (const gateway of await this.store.gateways()) results.push(await this.syncOne(gateway.id, republish));
      return results;
    });
    this.running = next.catch(() => undefined);
    return next;
  }

  private async syncOne(gatewayId: string, republish: boolean): Promise<SyncResult> {
    const gateway = await this.store.gateway(gatewayId);
    if (!gateway) return { gatewayId, version: null, changed: false, problem: 'no such gateway' };
    const poll = derivePollConfig(gateway, await this.store.meters(gatewayId));
    const latest = await this.store.latestConfig(gatewayId);
    const issues = pollConfigIssues(poll, 'poll');
    if (issues.length) {
      const problem = formatIssues(issues);
      this.log.warn({ gatewayId, problem }, 'registry does not give a valid configuration; keeping the previous version');
      return { gatewayId, version: latest?.version ?? null, changed: false, problem };
    }
    const hash = configHash(poll);
    if (latest?.hash === hash) {
      if (republish) await this.publish(gatewayId, latest.config);
      return { gatewayId, version: latest.version, changed: false };
    }
    const config: Config = { v: SCHEMA_VERSION, version: (latest?.version ?? 0) + 1, poll };
    await this.store.addConfigVersion(gatewayId, config, hash, this.now());
    await this.publish(gatewayId, config);
    this.log.info({ gatewayId, version: config.version }, 'configuration published');
    return { gatewayId, version: config.version, changed: true };
  }

  private async publish(gatewayId: string, config: Config): Promise<void> {
    await this.publisher.publish(topicFor(gatewayId, 'config'), encodePayload(config), { qos: 1, retain: true });
  }
}
