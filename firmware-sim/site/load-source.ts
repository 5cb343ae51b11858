// Production load from real data: a steel plant's 2018 electricity use in 15-minute slots
// (data/steel-industry-2018.csv, see data/README.md), mapped onto any date by weekday and
// time of day, so shifts, weekends, ramps and noise are a real factory's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/project-root.js';
import { simErrors } from '../errors.js';

export const DEFAULT_SOURCE_FILE = path.join(PROJECT_ROOT, 'firmware-sim', 'data', 'steel-industry-2018.csv');
const SLOT_MIN = 15;
const SLOTS_PER_DAY = 96;
const DAYS_IN_FILE = 365;
/** 52 whole weeks: a shifted index keeps its weekday (2018-01-01, the first row, was a Monday). */
const CYCLE_SLOTS = 364 * SLOTS_PER_DAY;
/** Unix day 4 (1970-01-05) was a Monday. */
const MONDAY_EPOCH_MIN = 4 * 1440;
const USAGE_COLUMN = 'Usage_kWh';
const NSM_COLUMN = 'NSM';
/** kWh in a 15-minute slot → average kW. */
const KWH_PER_SLOT_TO_KW = 60 / SLOT_MIN;

export interface LoadSource {
  /** Peak kW of the data, the reference a facility's ratedKw scales. */
  peakKw: number;
  /** Share of the peak (0..1) at local minute `localMin` since 1970-01-01 local midnight. */
  fractionAt(localMin: number): number;
}

const cache = new Map<string, LoadSource>();

export function loadSource(file: string = DEFAULT_SOURCE_FILE): LoadSource {
  const cached = cache.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw simErrors.error('TANDEM_SIM_DATA', `cannot read load data ${file}: ${(error as Error).message}`);
  }
  const source = parse(text, file);
  cache.set(file, source);
  return source;
}

function parse(text: string, file: string): LoadSource {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',') ?? [];
  const usage = header.indexOf(USAGE_COLUMN);
  const nsm = header.indexOf(NSM_COLUMN);
  if (usage < 0 || nsm < 0) throw simErrors.error('TANDEM_SIM_DATA', `${file}: header lacks ${USAGE_COLUMN} or ${NSM_COLUMN}`);
  const rows = lines.slice(1);
  if (rows.length !== DAYS_IN_FILE * SLOTS_PER_DAY) throw simErrors.error('TANDEM_SIM_DATA', `${file}: ${rows.length} rows, expected ${DAYS_IN_FILE * SLOTS_PER_DAY} (a year of 15-minute slots)`);
  const kw = new Float32Array(rows.length);
  rows.forEach((row, i) => {
    const cells = row.split(',');
    const value = Number(cells[usage]);
    // Row i is the slot ending (i + 1) × 15 min after the year began (NSM is that end in seconds of the day).
    if (!(value >= 0) || Number(cells[nsm]) !== (((i + 1) * SLOT_MIN * 60) % 86_400)) {
      throw simErrors.error('TANDEM_SIM_DATA', `${file}: line ${i + 2}: bad ${USAGE_COLUMN} or out-of-order ${NSM_COLUMN}`);
    }
    kw[i] = value * KWH_PER_SLOT_TO_KW;
  });
  const peakKw = kw.reduce((a, b) => Math.max(a, b), 0);
  return {
    peakKw,
    fractionAt(localMin) {
      // Linear between slot midpoints, so a live meter's load moves smoothly.
      const x = (localMin - MONDAY_EPOCH_MIN) / SLOT_MIN - 0.5;
      const k = Math.floor(x);
      const frac = x - k;
      const a = kw[mod(k, CYCLE_SLOTS)];
      const b = kw[mod(k + 1, CYCLE_SLOTS)];
      return (a + (b - a) * frac) / peakKw;
    },
  };
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
