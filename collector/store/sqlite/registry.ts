// Registry tables: enterprises, facilities, links, meters and the gateway's poll settings.
// An import replaces one enterprise as a whole (what is absent from the file is removed),
// keeping meter keys stable so that stored readings stay attached to their meter.
import type { Database } from 'better-sqlite3';
import type { Enterprise, Facility, RegistryMeter } from '../../../protocol/index.js';
import type { EnterpriseInfo, FacilityInfo } from '../../models/contract.js';
import { collectorError } from '../../errors.js';
import type { FacilityEdit, MeterRecord } from '../store.js';

interface FacilityRow {
  id: string;
  enterprise_id: string;
  name: string;
  kind: Facility['kind'];
  thresholds: string;
}

interface MeterRow {
  id: string;
  gateway_id: string;
  facility_id: string;
  bus_id: string;
  unit: number;
  profile: string;
  pt: number | null;
  ct: number | null;
}

export class RegistryTables {
  constructor(
    private readonly db: Database,
    private readonly changed: () => void,
  ) {}

  importEnterprise(e: Enterprise, now: number): void {
    this.db.transaction(() => {
      const owner = this.db.prepare('SELECT enterprise_id FROM gateways WHERE id = ?').get(e.gateway.id) as { enterprise_id: string | null } | undefined;
      if (owner?.enterprise_id && owner.enterprise_id !== e.id) {
        throw collectorError('TANDEM_COLLECTOR_CONFLICT', `gateway.id: gateway '${e.gateway.id}' already belongs to enterprise '${owner.enterprise_id}'`);
      }
      const taken = this.db.prepare('SELECT enterprise_id FROM facilities WHERE id = ? AND enterprise_id <> ?');
      e.facilities.forEach((f, i) => {
        const other = taken.get(f.id, e.id) as { enterprise_id: string } | undefined;
        if (other) {
          throw collectorError(
            'TANDEM_COLLECTOR_CONFLICT',
            `facilities[${i}].id: facility '${f.id}' already belongs to enterprise '${other.enterprise_id}' (facility ids are unique across the collector; prefix them with the enterprise id)`,
          );
        }
      });
      const { id, name, group, gateway, facilities, meters, ...extra } = e;
      this.db
        .prepare('INSERT INTO enterprises (id, name, grp, extra) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, grp = excluded.grp, extra = excluded.extra')
        .run(id, name, group ?? null, Object.keys(extra).length ? JSON.stringify(extra) : null);
      this.db
        .prepare(
          `INSERT INTO gateways (id, enterprise_id, poll_interval_s, buses, created_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET enterprise_id = excluded.enterprise_id, poll_interval_s = excluded.poll_interval_s, buses = excluded.buses`,
        )
        .run(gateway.id, id, gateway.pollIntervalS ?? DEFAULT_POLL_INTERVAL_S, JSON.stringify(gateway.buses), now);
      const keep = new Set(facilities.map((f) => f.id));
      for (const row of this.db.prepare('SELECT id FROM facilities WHERE enterprise_id = ?').all(id) as { id: string }[]) {
        if (!keep.has(row.id)) this.db.prepare('DELETE FROM facilities WHERE id = ?').run(row.id);
      }
      facilities.forEach((f, position) => this.writeFacility({ ...f, enterpriseId: id, serves: f.serves ?? [], thresholds: f.thresholds ?? {} }, position));
      const keepMeters = new Set(meters.map((m) => m.id));
      for (const row of this.db.prepare('SELECT id FROM meters WHERE gateway_id = ?').all(gateway.id) as { id: string }[]) {
        if (!keepMeters.has(row.id)) this.db.prepare('DELETE FROM meters WHERE gateway_id = ? AND id = ?').run(gateway.id, row.id);
      }
      meters.forEach((m, position) => this.writeMeter({ ...m, gatewayId: gateway.id }, position));
    })();
    this.changed();
  }

  deleteEnterprise(id: string): boolean {
    const changes = this.db.transaction(() => {
      this.db.prepare('DELETE FROM meters WHERE facility_id IN (SELECT id FROM facilities WHERE enterprise_id = ?)').run(id);
      return this.db.prepare('DELETE FROM enterprises WHERE id = ?').run(id).changes;
    })();
    this.changed();
    return changes > 0;
  }

  enterprise(id: string): Enterprise | null {
    const row = this.db.prepare('SELECT * FROM enterprises WHERE id = ?').get(id) as { id: string; name: string; grp: string | null; extra: string | null } | undefined;
    if (!row) return null;
    const gateway = this.db.prepare('SELECT id, poll_interval_s, buses FROM gateways WHERE enterprise_id = ?').get(id) as
      | { id: string; poll_interval_s: number; buses: string }
      | undefined;
    const facilities = (this.db.prepare('SELECT * FROM facilities WHERE enterprise_id = ? ORDER BY position').all(id) as FacilityRow[]).map((f) => {
      const facility: Facility = { id: f.id, name: f.name, kind: f.kind };
      const serves = this.serves(f.id);
      if (serves.length) facility.serves = serves;
      const thresholds = JSON.parse(f.thresholds);
      if (Object.keys(thresholds).length) facility.thresholds = thresholds;
      return facility;
    });
    const meters: RegistryMeter[] = gateway ? this.meters(gateway.id).map(({ gatewayId: _gw, ...m }) => m) : [];
    return {
      ...(row.extra ? JSON.parse(row.extra) : {}),
      id: row.id,
      name: row.name,
      ...(row.grp !== null ? { group: row.grp } : {}),
      gateway: { id: gateway?.id ?? '', pollIntervalS: gateway?.poll_interval_s ?? DEFAULT_POLL_INTERVAL_S, buses: JSON.parse(gateway?.buses ?? '[]') },
      facilities,
      meters,
    };
  }

  upsertFacility(edit: FacilityEdit): void {
    if (!this.db.prepare('SELECT 1 FROM enterprises WHERE id = ?').get(edit.enterpriseId)) {
      throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `enterpriseId: no enterprise '${edit.enterpriseId}'`);
    }
    const owner = this.db.prepare('SELECT enterprise_id FROM facilities WHERE id = ?').get(edit.id) as { enterprise_id: string } | undefined;
    if (owner && owner.enterprise_id !== edit.enterpriseId) {
      throw collectorError('TANDEM_COLLECTOR_CONFLICT', `id: facility '${edit.id}' belongs to enterprise '${owner.enterprise_id}'`);
    }
    const position = (this.db.prepare('SELECT count(*) AS n FROM facilities WHERE enterprise_id = ?').get(edit.enterpriseId) as { n: number }).n;
    this.db.transaction(() => this.writeFacility(edit, position))();
    this.changed();
  }

  upsertMeter(meter: MeterRecord): void {
    if (!this.db.prepare('SELECT 1 FROM facilities WHERE id = ?').get(meter.facility)) {
      throw collectorError('TANDEM_COLLECTOR_NOT_FOUND', `facility: no facility '${meter.facility}'`);
    }
    const position = (this.db.prepare('SELECT count(*) AS n FROM meters WHERE gateway_id = ?').get(meter.gatewayId) as { n: number }).n;
    this.writeMeter(meter, position);
    this.changed();
  }

  deleteMeter(gatewayId: string, meterId: string): boolean {
    const changes = this.db.prepare('DELETE FROM meters WHERE gateway_id = ? AND id = ?').run(gatewayId, meterId).changes;
    this.changed();
    return changes > 0;
  }

  meters(gatewayId?: string): MeterRecord[] {
    const rows = (
      gatewayId === undefined
        ? this.db.prepare('SELECT * FROM meters ORDER BY gateway_id, position, key').all()
        : this.db.prepare('SELECT * FROM meters WHERE gateway_id = ? ORDER BY position, key').all(gatewayId)
    ) as MeterRow[];
    return rows.map((r) => ({
      id: r.id,
      gatewayId: r.gateway_id,
      facility: r.facility_id,
      bus: r.bus_id,
      unit: r.unit,
      profile: r.profile,
      ...(r.pt !== null ? { pt: r.pt } : {}),
      ...(r.ct !== null ? { ct: r.ct } : {}),
    }));
  }

  facilityInfos(): FacilityInfo[] {
    const meterIds = new Map<string, string[]>();
    for (const m of this.meters()) meterIds.set(m.facility, [...(meterIds.get(m.facility) ?? []), m.id]);
    return (this.db.prepare('SELECT * FROM facilities ORDER BY enterprise_id, position').all() as FacilityRow[]).map((f) => ({
      id: f.id,
      enterpriseId: f.enterprise_id,
      name: f.name,
      kind: f.kind,
      serves: this.serves(f.id),
      thresholds: JSON.parse(f.thresholds),
      meterIds: meterIds.get(f.id) ?? [],
    }));
  }

  enterpriseInfos(): EnterpriseInfo[] {
    const rows = this.db
      .prepare('SELECT e.id, e.name, e.grp, e.extra, g.id AS gateway_id, g.poll_interval_s FROM enterprises e LEFT JOIN gateways g ON g.enterprise_id = e.id ORDER BY e.id')
      .all() as { id: string; name: string; grp: string | null; extra: string | null; gateway_id: string | null; poll_interval_s: number | null }[];
    return rows.map((r) => {
      const info: EnterpriseInfo = { id: r.id, name: r.name, group: r.grp, gatewayId: r.gateway_id ?? '', pollIntervalS: r.poll_interval_s ?? DEFAULT_POLL_INTERVAL_S };
      // An import file may carry an IANA `timeZone` beside the registry fields (kept in `extra`).
      const timeZone = r.extra ? (JSON.parse(r.extra) as { timeZone?: unknown }).timeZone : undefined;
      if (typeof timeZone === 'string') info.timeZone = timeZone;
      return info;
    });
  }

  private serves(treatmentId: string): string[] {
    return (this.db.prepare('SELECT production_id FROM links WHERE treatment_id = ? ORDER BY production_id').all(treatmentId) as { production_id: string }[]).map(
      (l) => l.production_id,
    );
  }

  private writeFacility(f: FacilityEdit, position: number): void {
    this.db
      .prepare(
        `INSERT INTO facilities (id, enterprise_id, name, kind, thresholds, position) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, thresholds = excluded.thresholds, position = excluded.position`,
      )
      .run(f.id, f.enterpriseId, f.name, f.kind, JSON.stringify(f.thresholds), position);
    this.db.prepare('DELETE FROM links WHERE treatment_id = ?').run(f.id);
    for (const production of f.serves) this.db.prepare('INSERT INTO links (treatment_id, production_id) VALUES (?, ?)').run(f.id, production);
  }

  private writeMeter(m: MeterRecord, position: number): void {
    this.db
      .prepare(
        `INSERT INTO meters (gateway_id, id, facility_id, bus_id, unit, profile, pt, ct, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (gateway_id, id) DO UPDATE SET facility_id = excluded.facility_id, bus_id = excluded.bus_id, unit = excluded.unit,
           profile = excluded.profile, pt = excluded.pt, ct = excluded.ct, position = excluded.position`,
      )
      .run(m.gatewayId, m.id, m.facility, m.bus, m.unit, m.profile, m.pt ?? null, m.ct ?? null, position);
  }
}

/** Poll interval when the registry names none (s); DESIGN.md aligns polls to :00/:15/:30/:45. */
export const DEFAULT_POLL_INTERVAL_S = 15;
