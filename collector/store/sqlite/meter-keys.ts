// In-memory index of the registry's integer keys (readings store small integers, not ids),
// rebuilt lazily after any registry change.
import type { Database } from 'better-sqlite3';
import type { MeterDirectory } from '../store.js';

interface MeterKey {
  key: number;
  facility: string;
}

export class MeterKeys {
  private stale = true;
  private gateways = new Map<string, number>();
  private meters = new Map<string, Map<string, MeterKey>>();
  private facilityByKey = new Map<number, string>();
  private meterIdByKey = new Map<number, string>();
  private keysByFacility = new Map<string, number[]>();

  constructor(private readonly db: Database) {}

  /** Called by every registry write. */
  invalidate(): void {
    this.stale = true;
  }

  gateway(id: string): number | undefined {
    this.refresh();
    return this.gateways.get(id);
  }

  meter(gatewayId: string, meterId: string): MeterKey | undefined {
    this.refresh();
    return this.meters.get(gatewayId)?.get(meterId);
  }

  facilityOfKey(key: number): string | undefined {
    this.refresh();
    return this.facilityByKey.get(key);
  }

  meterIdOfKey(key: number): string | undefined {
    this.refresh();
    return this.meterIdByKey.get(key);
  }

  metersOfFacility(facility: string): number[] {
    this.refresh();
    return this.keysByFacility.get(facility) ?? [];
  }

  allMeterKeys(): number[] {
    this.refresh();
    return [...this.facilityByKey.keys()];
  }

  directory(): MeterDirectory {
    this.refresh();
    const directory: MeterDirectory = new Map();
    for (const [gatewayId, meters] of this.meters) {
      directory.set(gatewayId, new Map([...meters].map(([id, m]) => [id, { facility: m.facility }])));
    }
    return directory;
  }

  private refresh(): void {
    if (!this.stale) return;
    this.gateways = new Map(
      (this.db.prepare('SELECT key, id FROM gateways').all() as { key: number; id: string }[]).map((g) => [g.id, g.key]),
    );
    this.meters = new Map();
    this.facilityByKey = new Map();
    this.meterIdByKey = new Map();
    this.keysByFacility = new Map();
    const rows = this.db.prepare('SELECT key, gateway_id, id, facility_id FROM meters ORDER BY position, key').all() as {
      key: number;
      gateway_id: string;
      id: string;
      facility_id: string;
    }[];
    for (const row of rows) {
      let byId = this.meters.get(row.gateway_id);
      if (!byId) this.meters.set(row.gateway_id, (byId = new Map()));
      byId.set(row.id, { key: row.key, facility: row.facility_id });
      this.facilityByKey.set(row.key, row.facility_id);
      this.meterIdByKey.set(row.key, row.id);
      const list = this.keysByFacility.get(row.facility_id) ?? [];
      list.push(row.key);
      this.keysByFacility.set(row.facility_id, list);
    }
    this.stale = false;
  }
}
