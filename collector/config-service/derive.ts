// A gateway's poll configuration, derived from the registry: its buses (as registered, in
// order) each with the meters that name it. Meter order follows the registry, so the
// same registry always yields byte-identical JSON and therefore the same hash.
import { createHash } from 'node:crypto';
import type { Bus, PollConfig } from '../../protocol/index.js';
import type { GatewayRecord, MeterRecord } from '../store/store.js';

export function derivePollConfig(gateway: GatewayRecord, meters: MeterRecord[]): PollConfig {
  const buses = gateway.buses.map((bus) => ({
    ...bus,
    meters: meters
      .filter((m) => m.bus === bus.id)
      .map((m) => ({
        id: m.id,
        unit: m.unit,
        profile: m.profile,
        facility: m.facility,
        ...(m.pt !== undefined ? { pt: m.pt } : {}),
        ...(m.ct !== undefined ? { ct: m.ct } : {}),
      })),
  })) as unknown as Bus[];
  return { pollIntervalS: gateway.pollIntervalS, buses };
}

export function configHash(poll: PollConfig): string {
  return createHash('sha256').update(JSON.stringify(poll)).digest('hex');
}
