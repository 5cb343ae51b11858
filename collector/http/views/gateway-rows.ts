// The gateways table: online state, last health, configuration version against what the
// agent acked, and outbox depth (DESIGN.md: a reading leaves the outbox only when acked,
// so a growing depth means the uplink or the collector is behind).
import type { GatewayStatus, Store } from '../../store/store.js';

export type ConfigState = 'none' | 'ok' | 'pending' | 'rejected';

export interface GatewayRow {
  id: string;
  enterpriseId: string | null;
  enterpriseName: string | null;
  online: boolean | null;
  stateAt: number | null;
  lastSeenAt: number | null;
  healthAt: number | null;
  outboxDepth: number | null;
  outboxOldestT: number | null;
  metersOk: number | null;
  meters: number | null;
  clockOffsetMs: number | null;
  configVersion: number | null;
  runningVersion: number | null;
  configState: ConfigState;
  configErrors: string[];
}

/** Whether the newest published configuration runs on the gateway (messages.ts ConfigAck). */
export function configState(status: GatewayStatus): ConfigState {
  if (status.configVersion === null) return 'none';
  const ack = status.ack;
  if (!ack || ack.version !== status.configVersion) return 'pending';
  return ack.status === 'applied' || ack.status === 'unchanged' ? 'ok' : 'rejected';
}

export async function gatewayRows(store: Store): Promise<GatewayRow[]> {
  const [gateways, statuses, enterprises] = await Promise.all([store.gateways(), store.gatewayStatuses(), store.enterpriseInfos()]);
  const statusOf = new Map(statuses.map((s) => [s.id, s]));
  const nameOf = new Map(enterprises.map((e) => [e.id, e.name]));
  return gateways.map((g) => {
    const s = statusOf.get(g.id);
    const health = s?.health ?? null;
    return {
      id: g.id,
      enterpriseId: g.enterpriseId,
      enterpriseName: g.enterpriseId ? (nameOf.get(g.enterpriseId) ?? null) : null,
      online: s?.online ?? null,
      stateAt: s?.stateAt ?? null,
      lastSeenAt: s?.lastSeenAt ?? null,
      healthAt: s?.healthAt ?? null,
      outboxDepth: health?.outbox.depth ?? null,
      outboxOldestT: health?.outbox.oldestT ?? null,
      metersOk: health ? health.meters.filter((m) => m.lastErrorT === null || (m.lastOkT ?? 0) > m.lastErrorT).length : null,
      meters: health ? health.meters.length : null,
      clockOffsetMs: s?.clockOffsetMs ?? null,
      configVersion: s?.configVersion ?? null,
      runningVersion: s?.ack?.running ?? health?.configVersion ?? null,
      configState: s ? configState(s) : 'none',
      configErrors: s?.ack?.errors ?? [],
    };
  });
}
