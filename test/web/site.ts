// The browser test's factories: three enterprises (a kiln and its dust collector each), and
// a day of per-minute readings shaped like a real plant — production runs in shifts with
// short stops, treatment follows it — with, for one enterprise, a stretch where the dust
// collector is off while the kiln runs (the treatment-off picture inspectors look for).
import type { Enterprise, Reading } from '../../protocol/index.js';

export const MINUTE_MS = 60_000;
export const DAY_MINUTES = 24 * 60;
/** Kiln and dust collector running power (W). */
const KILN_W = 420_000;
const DUST_W = 85_000;
/** Standby draw when off (W). */
const STANDBY_W = 1_500;
/** The kiln stops for 40 min every 6 h (minutes). */
const SHIFT_MINUTES = 360;
const STOP_MINUTES = 40;

export interface SiteSpec {
  id: string;
  name: string;
  gatewayId: string;
  group: string;
  /** What its day looks like: a violation, clean, data stopping early, or a gateway that never connects. */
  day: 'violation' | 'clean' | 'silent' | 'offline';
}

/** One plant per overview state: alert, running in tandem, data gap, offline. */
export const SITES: SiteSpec[] = [
  { id: 'ent-steel', name: '华南钢铁有限公司', gatewayId: 'gw-steel', group: '东区', day: 'violation' },
  { id: 'ent-cement', name: '江北水泥厂', gatewayId: 'gw-cement', group: '东区', day: 'clean' },
  { id: 'ent-glass', name: '清河玻璃厂', gatewayId: 'gw-glass', group: '西区', day: 'silent' },
  { id: 'ent-paint', name: '明辉喷涂车间', gatewayId: 'gw-paint', group: '西区', day: 'offline' },
];
export const [STEEL, CEMENT, GLASS, PAINT] = SITES as [SiteSpec, SiteSpec, SiteSpec, SiteSpec];

export function enterpriseOf(site: SiteSpec): Enterprise {
  const kiln = `${site.id}-kiln`;
  const dust = `${site.id}-dust`;
  return {
    id: site.id,
    name: site.name,
    group: site.group,
    gateway: { id: site.gatewayId, pollIntervalS: 60, buses: [{ id: 'bus1', kind: 'tcp', host: '127.0.0.1', port: 5020 }] },
    facilities: [
      { id: kiln, name: '1号窑炉', kind: 'production', thresholds: { offBelowW: 20_000, runningAboveW: 200_000 } },
      { id: dust, name: '1号除尘风机', kind: 'treatment', serves: [kiln], thresholds: { offBelowW: 5_000, runningAboveW: 40_000, runningLevelW: DUST_W } },
    ],
    meters: [
      { id: 'm-kiln', facility: kiln, bus: 'bus1', unit: 1, profile: 'dtsu666' },
      { id: 'm-dust', facility: dust, bus: 'bus1', unit: 2, profile: 'dtsu666' },
    ],
  };
}

/** Minutes (from the day's start) in which the dust collector is off while the kiln runs. */
export interface Violation {
  fromMinute: number;
  toMinute: number;
}

/**
 * One reading per meter per minute over the `minutes` before `end` (epoch ms), sequence
 * numbers from `firstSeq`. Power wobbles a little so the curves look measured.
 */
/** Where plantReadings(end, minutes) starts: `minutes` before the minute of `end`. */
export function dayStart(end: number, minutes: number): number {
  return Math.floor(end / MINUTE_MS) * MINUTE_MS - minutes * MINUTE_MS;
}

export function plantReadings(end: number, minutes: number, firstSeq: bigint, violation?: Violation): Reading[] {
  const start = dayStart(end, minutes);
  const readings: Reading[] = [];
  let seq = firstSeq;
  let kilnKWh = 15_000;
  let dustKWh = 3_000;
  for (let k = 0; k < minutes; k++) {
    const t = start + k * MINUTE_MS;
    const kilnRuns = k % SHIFT_MINUTES >= STOP_MINUTES;
    const dustOff = violation !== undefined && k >= violation.fromMinute && k < violation.toMinute;
    // A real meter never repeats itself exactly (meter-integrity reads a frozen value as a fault).
    const jitter = Math.sin(k / 2.3);
    const kilnW = kilnRuns ? KILN_W + 25_000 * Math.sin(k / 17) + 8_000 * Math.sin(k / 3.1) : STANDBY_W * (1 + 0.05 * jitter);
    const dustW = kilnRuns && !dustOff ? DUST_W + 4_000 * Math.sin(k / 11) : (STANDBY_W / 3) * (1 + 0.05 * jitter);
    kilnKWh += kilnW / 1000 / 60;
    dustKWh += dustW / 1000 / 60;
    readings.push(meterReading(seq++, 'm-kiln', t, kilnW, kilnKWh, jitter));
    readings.push(meterReading(seq++, 'm-dust', t + 200, dustW, dustKWh, jitter));
  }
  return readings;
}

/** `jitter` (−1…1) moves the voltages and frequency by a few hundredths, as a live grid does. */
function meterReading(seq: bigint, meter: string, t: number, powerW: number, energyKWh: number, jitter: number): Reading {
  const current = powerW / (3 * 230 * 0.92);
  const u = 230 + 0.6 * jitter;
  return { seq, meter, t, values: { u1: u + 0.2, u2: u - 0.2, u3: u + 1, i1: current, i2: current, i3: current, p: powerW, pf: 0.92, f: 50 + 0.02 * jitter, ei: energyKWh } };
}
