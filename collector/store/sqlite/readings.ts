// Raw readings and their per-meter minute rollups. A reading is keyed by (gateway, seq),
// so a resend is ignored by the primary key (DESIGN.md: "stores idempotently by
// (gateway, seq)") and only new readings move the rollups: arrival order does not matter.
import type { Database, Statement } from 'better-sqlite3';
import { QUANTITY_NAMES, type Quantity, type Reading } from '../../../protocol/index.js';
import type { FacilityMinute, FacilityReading } from '../../models/contract.js';
import type { IncomingReading, StoredReading, TouchedRange, WriteResult } from '../store.js';
import type { MeterKeys } from './meter-keys.js';

export const MINUTE_MS = 60_000;

interface MinuteAggregate {
  meter: number;
  minute: number;
  pSum: number;
  pN: number;
  eFirst: number | null;
  eFirstT: number | null;
  eLast: number | null;
  eLastT: number | null;
}

/** A meter_minutes row as read (raw): the column positions are M. */
type MinuteRow = [meter: number, minute: number, pSum: number, pN: number, eFirst: number | null, eFirstT: number | null, eLast: number | null, eLastT: number | null];
const M = { meter: 0, minute: 1, pSum: 2, pN: 3, eFirst: 4, eFirstT: 5, eLast: 6, eLastT: 7 } as const;

export class ReadingTables {
  private readonly insert: Statement;
  private readonly upsertMinute: Statement;
  private readonly selectReadings: Statement;
  private readonly count: Statement;
  private readonly prune: Statement;
  /** Statements whose text depends on how many meters a facility has, prepared once each. */
  private readonly prepared = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    private readonly keys: MeterKeys,
  ) {
    const columns = QUANTITY_NAMES.join(', ');
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO readings (gw, seq, meter, t, ${columns}, quality, flags)
       VALUES (?, ?, ?, ?, ${QUANTITY_NAMES.map(() => '?').join(', ')}, ?, ?)`,
    );
    // In an upsert's SET, bare column names are the row's values before the update.
    this.upsertMinute = db.prepare(`
      INSERT INTO meter_minutes (meter, minute, p_sum, p_n, e_first, e_first_t, e_last, e_last_t)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (meter, minute) DO UPDATE SET
        p_sum = p_sum + excluded.p_sum,
        p_n = p_n + excluded.p_n,
        e_first = CASE WHEN excluded.e_first_t < coalesce(e_first_t, 9e18) THEN excluded.e_first ELSE e_first END,
        e_first_t = CASE WHEN excluded.e_first_t < coalesce(e_first_t, 9e18) THEN excluded.e_first_t ELSE e_first_t END,
        e_last = CASE WHEN excluded.e_last_t > coalesce(e_last_t, -1) THEN excluded.e_last ELSE e_last END,
        e_last_t = CASE WHEN excluded.e_last_t > coalesce(e_last_t, -1) THEN excluded.e_last_t ELSE e_last_t END`);
    this.selectReadings = db
      .prepare(
        `SELECT seq, t, ${columns}, quality, flags FROM readings
         WHERE meter = ? AND t >= ? AND t < ? ORDER BY t LIMIT ?`,
      )
      .safeIntegers(false);
    this.count = db.prepare('SELECT count(*) AS n FROM readings');
    this.prune = db.prepare('DELETE FROM readings WHERE meter = ? AND t < ?');
  }

  /** Inserts within the caller's transaction; returns the new readings and touched minutes. */
  write(readings: IncomingReading[]): WriteResult {
    const inserted: FacilityReading[] = [];
    let newRows = 0;
    const minutes = new Map<string, MinuteAggregate>();
    const args: unknown[] = new Array(6 + QUANTITY_NAMES.length);
    for (const { gatewayId, reading, flags } of readings) {
      const meter = this.keys.meter(gatewayId, reading.meter);
      const gw = this.keys.gateway(gatewayId);
      if (!meter || gw === undefined) throw new Error(`meter ${gatewayId}/${reading.meter} is not registered`);
      args[0] = gw;
      args[1] = reading.seq;
      args[2] = meter.key;
      args[3] = reading.t;
      for (let i = 0; i < QUANTITY_NAMES.length; i++) args[4 + i] = reading.values[QUANTITY_NAMES[i]!] ?? null;
      args[4 + QUANTITY_NAMES.length] = reading.quality ? JSON.stringify(reading.quality) : null;
      args[5 + QUANTITY_NAMES.length] = flags;
      if (this.insert.run(...args).changes === 0) continue; // a resend: already stored
      newRows++;
      if (flags !== 0) continue; // implausible instants stay out of rollups and models
      // The reading object is ingest's own, decoded for this write: tag it instead of copying.
      const tagged = reading as FacilityReading;
      tagged.facility = meter.facility;
      inserted.push(tagged);
      accumulate(minutes, meter.key, reading);
    }
    const touched = new Map<string, TouchedRange>();
    for (const m of minutes.values()) {
      this.upsertMinute.run(m.meter, m.minute, m.pSum, m.pN, m.eFirst, m.eFirstT, m.eLast, m.eLastT);
      const facility = this.keys.facilityOfKey(m.meter)!;
      const range = touched.get(facility);
      // The next minute's energy is a difference from this one's last counter value.
      const to = m.minute + MINUTE_MS;
      if (!range) touched.set(facility, { facility, fromMinute: m.minute, toMinute: to });
      else {
        range.fromMinute = Math.min(range.fromMinute, m.minute);
        range.toMinute = Math.max(range.toMinute, to);
      }
    }
    return { newRows, inserted, touched: [...touched.values()] };
  }

  readings(gatewayId: string, meterId: string, fromMs: number, toMs: number, limit: number): StoredReading[] {
    const meter = this.keys.meter(gatewayId, meterId);
    if (!meter) return [];
    const rows = this.selectReadings.safeIntegers(true).all(meter.key, fromMs, toMs, limit) as Record<string, unknown>[];
    return rows.map((row) => ({ gatewayId, ...toReading(row, meterId), flags: Number(row.flags) }));
  }

  facilityReadings(facilities: string[], fromMs: number, toMs: number): FacilityReading[] {
    const keys = facilities.flatMap((f) => this.keys.metersOfFacility(f));
    if (keys.length === 0) return [];
    // Raw rows (arrays in column order): the models read many of them on every evaluation.
    const rows = this.statement(
      `SELECT meter, seq, t, ${QUANTITY_NAMES.join(', ')}, quality FROM readings
       WHERE meter IN (${placeholders(keys)}) AND t >= ? AND t < ? AND flags = 0 ORDER BY t, meter`,
    )
      .safeIntegers(true)
      .raw(true)
      .all(...keys, fromMs, toMs) as unknown[][];
    const first = 3;
    return rows.map((row) => {
      const key = Number(row[0]);
      const values: Partial<Record<Quantity, number>> = {};
      for (let i = 0; i < QUANTITY_NAMES.length; i++) {
        const value = row[first + i];
        if (value !== null) values[QUANTITY_NAMES[i]!] = Number(value);
      }
      const reading: FacilityReading = { seq: row[1] as bigint, meter: this.keys.meterIdOfKey(key)!, t: Number(row[2]), values, facility: this.keys.facilityOfKey(key)! };
      const quality = row[first + QUANTITY_NAMES.length];
      if (quality) reading.quality = JSON.parse(quality as string);
      return reading;
    });
  }

  firstMinute(facility: string): number | null {
    const keys = this.keys.metersOfFacility(facility);
    if (keys.length === 0) return null;
    const row = this.statement(`SELECT min(minute) AS first FROM meter_minutes WHERE meter IN (${placeholders(keys)})`).get(...keys) as { first: number | null };
    return row.first;
  }

  /** FacilityMinute per minute with data: mean power per meter summed, energy from counter differences. */
  minutes(facility: string, fromMs: number, toMs: number): FacilityMinute[] {
    const meterKeys = this.keys.metersOfFacility(facility);
    if (meterKeys.length === 0) return [];
    // In primary-key order (meter, minute): no sort, and each meter's previous minute comes just before.
    const rows = this.statement(
      `SELECT meter, minute, p_sum, p_n, e_first, e_first_t, e_last, e_last_t FROM meter_minutes
       WHERE meter IN (${placeholders(meterKeys)}) AND minute >= ? AND minute < ? ORDER BY meter, minute`,
    )
      .raw(true)
      .all(...meterKeys, fromMs - MINUTE_MS, toMs) as MinuteRow[];
    const byMinute = new Map<number, FacilityMinute>();
    let previous: MinuteRow | undefined;
    for (const row of rows) {
      const before = previous?.[M.meter] === row[M.meter] ? previous : undefined;
      previous = row;
      const minute = row[M.minute];
      if (minute < fromMs) continue;
      let current = byMinute.get(minute);
      if (!current) byMinute.set(minute, (current = { facility, minute, powerW: null, energyKWh: null, metersReporting: 0 }));
      current.metersReporting++;
      if (row[M.pN] > 0) current.powerW = (current.powerW ?? 0) + row[M.pSum] / row[M.pN];
      const energy = minuteEnergy(row, before);
      if (energy !== null) current.energyKWh = (current.energyKWh ?? 0) + energy;
    }
    return [...byMinute.values()].sort((a, b) => a.minute - b.minute);
  }

  private statement(sql: string): Statement {
    let statement = this.prepared.get(sql);
    if (!statement) this.prepared.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  total(): number {
    return (this.count.get() as { n: number }).n;
  }

  /** Per meter, so that the (meter, t) index does the work instead of a table scan. */
  pruneBefore(beforeMs: number): number {
    let deleted = 0;
    for (const key of this.keys.allMeterKeys()) deleted += this.prune.run(key, beforeMs).changes;
    return deleted;
  }
}

function placeholders(values: unknown[]): string {
  return values.map(() => '?').join(',');
}

/** A row of the readings table (read with safeIntegers) as a protocol Reading. */
function toReading(row: Record<string, unknown>, meter: string): Reading {
  const values: Partial<Record<Quantity, number>> = {};
  for (const q of QUANTITY_NAMES) if (row[q] !== null) values[q] = Number(row[q]);
  const reading: Reading = { seq: row.seq as bigint, meter, t: Number(row.t), values };
  if (row.quality) reading.quality = JSON.parse(row.quality as string);
  return reading;
}

function accumulate(minutes: Map<string, MinuteAggregate>, meter: number, reading: Reading): void {
  const minute = reading.t - (reading.t % MINUTE_MS);
  const id = `${meter}:${minute}`;
  let m = minutes.get(id);
  if (!m) {
    m = { meter, minute, pSum: 0, pN: 0, eFirst: null, eFirstT: null, eLast: null, eLastT: null };
    minutes.set(id, m);
  }
  const p = reading.values.p;
  if (p !== undefined && !reading.quality?.p) {
    m.pSum += p;
    m.pN++;
  }
  const e = reading.values.ei;
  if (e !== undefined && !reading.quality?.ei) {
    if (m.eFirstT === null || reading.t < m.eFirstT) [m.eFirst, m.eFirstT] = [e, reading.t];
    if (m.eLastT === null || reading.t > m.eLastT) [m.eLast, m.eLastT] = [e, reading.t];
  }
}

/**
 * Energy of one meter in one minute: its last counter value minus the previous minute's
 * last one; without a previous minute, the spread within the minute. A counter going
 * backwards gives null (meter-integrity reports it from the readings).
 */
function minuteEnergy(row: MinuteRow, previous: MinuteRow | undefined): number | null {
  const last = row[M.eLast];
  if (last === null) return null;
  let base: number | null = null;
  const previousLast = previous?.[M.eLast] ?? null;
  if (previous && previous[M.minute] === row[M.minute] - MINUTE_MS && previousLast !== null) base = previousLast;
  else if (row[M.eFirstT] !== row[M.eLastT]) base = row[M.eFirst];
  if (base === null) return null;
  const energy = last - base;
  return energy >= 0 ? energy : null;
}
