// A simulator site and its ground truth (firmware-sim simulateHistory) as the registry,
// orders and notices the collector would hold: what the scorer and the replay tests feed
// the engine. The simulator's notices may name a meter or the whole enterprise; ours name
// facilities, so they are expanded. Facility ids are unique across a collector but only
// within a site file (two example sites have an `incomer`): with several sites they are
// qualified as `<site id>:<facility id>`.
import type { GroundTruth, Site } from '../../firmware-sim/index.js';
import type { EnterpriseInfo, FacilityInfo, Notice, Order } from './contract.js';
import { DEFAULT_TIME_ZONE } from './local-time.js';
import type { MemoryRegistry } from './memory-source.js';

const MINUTES_PER_HOUR = 60;

/** An IANA zone with the site's fixed UTC offset (Etc/GMT signs are inverted by POSIX). */
export function zoneForOffset(utcOffsetMin: number): string {
  if (utcOffsetMin === 480) return DEFAULT_TIME_ZONE;
  if (utcOffsetMin === 0) return 'Etc/UTC';
  if (utcOffsetMin % MINUTES_PER_HOUR !== 0) return DEFAULT_TIME_ZONE;
  const hours = utcOffsetMin / MINUTES_PER_HOUR;
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

/** How a site's facility ids appear in the registry: qualified when several sites share it. */
export type FacilityIds = (siteId: string, facility: string) => string;
export const plainIds: FacilityIds = (_site, facility) => facility;
export const qualifiedIds: FacilityIds = (site, facility) => `${site}:${facility}`;

export function siteEnterprise(site: Site, ids: FacilityIds = plainIds): { enterprise: EnterpriseInfo; facilities: FacilityInfo[] } {
  return {
    enterprise: {
      id: site.id,
      name: site.name,
      group: site.group ?? null,
      gatewayId: site.gateway.id,
      timeZone: zoneForOffset(site.sim.utcOffsetMin),
      ...(site.gateway.pollIntervalS !== undefined && { pollIntervalS: site.gateway.pollIntervalS }),
    },
    facilities: site.facilities.map((f) => ({
      id: ids(site.id, f.id),
      enterpriseId: site.id,
      name: f.name,
      kind: f.kind,
      serves: (f.serves ?? []).map((p) => ids(site.id, p)),
      thresholds: f.thresholds ?? {},
      meterIds: site.meters.filter((m) => m.facility === f.id).map((m) => m.id),
    })),
  };
}

export function truthOrders(truth: Pick<GroundTruth, 'orders'>, ids: FacilityIds = plainIds): Order[] {
  return truth.orders.map((o) => ({
    id: o.id,
    kind: o.kind,
    enterpriseIds: [o.enterpriseId],
    from: o.from,
    to: o.to,
    limitPct: o.limitPct ?? null,
    ...(o.facilities && { facilities: o.facilities.map((f) => ids(o.enterpriseId, f)) }),
  }));
}

export function truthNotices(truth: Pick<GroundTruth, 'notices'>, sites: readonly Site[], ids: FacilityIds = plainIds): Notice[] {
  return truth.notices.flatMap((n) => {
    const site = sites.find((s) => s.id === n.enterpriseId);
    const meterFacility = n.meter ? site?.meters.find((m) => m.id === n.meter)?.facility : undefined;
    const facilities = n.facility ? [n.facility] : meterFacility ? [meterFacility] : (site?.facilities.map((f) => f.id) ?? []);
    return facilities.map((f) => ({ id: `${n.id}/${f}`, facility: ids(n.enterpriseId, f), from: n.from, to: n.to, reason: n.reason }));
  });
}

/** The registry of several sites with the ground truth of their histories. */
export function sitesRegistry(sites: readonly Site[], truth: Pick<GroundTruth, 'orders' | 'notices'>, ids: FacilityIds = plainIds): MemoryRegistry {
  const parts = sites.map((site) => siteEnterprise(site, ids));
  return {
    enterprises: parts.map((p) => p.enterprise),
    facilities: parts.flatMap((p) => p.facilities),
    orders: truthOrders(truth, ids),
    notices: truthNotices(truth, sites, ids),
  };
}
