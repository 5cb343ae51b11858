// One simulated meter: a load (fixed, or a function of time for a site), the profile's
// registers, an import energy counter integrating power over time, and an injectable fault.
import { getProfile, type Profile, type ProfileParams, type Quantity } from '../../protocol/index.js';
import { simErrors } from '../errors.js';
import { hashSeed, seededRandom } from '../random.js';
import { DEFAULT_FREQUENCY_HZ, DEFAULT_NOMINAL_V, measure, type Instant, type Load } from './electrical.js';
import { EXCEPTION, ModbusException, type Fault } from './faults.js';
import { readImage, registerImage, type RegisterImage } from './register-image.js';

const MS_PER_HOUR = 3_600_000;
const DEFAULT_PF = 0.9;
const UNIT_MIN = 1;
const UNIT_MAX = 247;

export interface MeterOptions {
  unit: number;
  profile: string;
  /** Fixed load in kW (default 0); ignored when `load` is given. */
  kw?: number;
  pf?: number;
  pt?: number;
  ct?: number;
  /** Load as a function of time (ms), for site meters. */
  load?: (t: number) => Load;
  nominalV?: number;
  frequencyHz?: number;
  /** Import energy at start, kWh (e.g. kept from an earlier run). */
  energyKwh?: number;
  /** The clock, ms since the epoch (default Date.now): inject one to test energy growth. */
  now?: () => number;
  /** Small random jitter on voltage, current and frequency (default true). */
  jitter?: boolean;
  seed?: number;
}

export class MeterEmulator {
  readonly unit: number;
  readonly profile: string;
  readonly definition: Profile;
  private readonly image: RegisterImage;
  private readonly params: Required<ProfileParams>;
  private readonly now: () => number;
  private readonly rand: () => number;
  private readonly nominalV: number;
  private readonly frequencyHz: number;
  private loadFn: ((t: number) => Load) | undefined;
  private fixed: Load;
  private currentFault: Fault | null = null;
  private frozen: Partial<Record<Quantity, number>> | null = null;
  private energyKwh: number;
  private importKw = 0;
  private lastT: number;

  constructor(options: MeterOptions) {
    if (!Number.isInteger(options.unit) || options.unit < UNIT_MIN || options.unit > UNIT_MAX) {
      throw simErrors.error('TANDEM_SIM_METER', `unit ${options.unit} is not a unit id ${UNIT_MIN}..${UNIT_MAX}`);
    }
    this.unit = options.unit;
    this.profile = options.profile;
    this.definition = getProfile(options.profile);
    this.image = registerImage(this.definition);
    this.params = { pt: options.pt ?? this.definition.params.pt?.default ?? 1, ct: options.ct ?? this.definition.params.ct?.default ?? 1 };
    this.now = options.now ?? Date.now;
    const random = seededRandom(options.seed ?? hashSeed(options.profile, options.unit));
    this.rand = options.jitter === false ? () => 0 : () => random() * 2 - 1;
    this.nominalV = options.nominalV ?? DEFAULT_NOMINAL_V;
    this.frequencyHz = options.frequencyHz ?? DEFAULT_FREQUENCY_HZ;
    this.loadFn = options.load;
    this.fixed = { kw: options.kw ?? 0, pf: options.pf ?? DEFAULT_PF };
    this.energyKwh = options.energyKwh ?? 0;
    this.lastT = this.now();
    this.importKw = this.measureAt(this.lastT).importKw;
  }

  get fault(): Fault | null {
    return this.currentFault;
  }

  /** The meter's import energy counter as it stands (kWh), after integrating up to now. */
  get energy(): number {
    this.advance(this.now());
    return this.energyKwh;
  }

  setLoad(kw: number, pf: number = this.fixed.pf): void {
    if (!(kw >= 0) || !(pf > 0 && pf <= 1)) throw simErrors.error('TANDEM_SIM_METER', `unit ${this.unit}: load ${kw} kW at PF ${pf} needs kW ≥ 0 and 0 < PF ≤ 1`);
    this.advance(this.now());
    this.loadFn = undefined;
    this.fixed = { kw, pf };
    this.importKw = this.measureAt(this.lastT).importKw;
  }

  setFault(fault: Fault | null): void {
    const t = this.now();
    this.advance(t);
    if (fault?.kind === 'frozen' && this.currentFault?.kind !== 'frozen') this.frozen = this.values(t);
    if (fault?.kind !== 'frozen') this.frozen = null;
    if (fault?.kind === 'energy-reset') this.energyKwh = 0;
    this.currentFault = fault;
    this.importKw = this.measureAt(t).importKw;
  }

  /** What the meter serves at `atMs` (default now), in SI units, for the profile's quantities. */
  values(atMs: number = this.now()): Partial<Record<Quantity, number>> {
    if (this.frozen) return this.frozen;
    this.advance(atMs);
    const { values: instant, importKw } = this.measureAt(atMs);
    this.importKw = importKw;
    const out: Partial<Record<Quantity, number>> = {};
    for (const q of Object.keys(this.definition.points) as Quantity[]) out[q] = q === 'ei' ? this.energyKwh : instant[q as keyof Instant];
    return out;
  }

  /** The registers a read of `count` from `address` returns; throws ModbusException as the meter refuses it. */
  registers(fc: number, address: number, count: number): number[] {
    return readImage(this.image, fc, address, count, this.values(), this.params);
  }

  /** FC 06/16: only the PT/CT ratio registers are writable, as on meters that have them. */
  writeRegisters(address: number, words: number[]): void {
    for (let k = 0; k < words.length; k++) {
      const name = (['pt', 'ct'] as const).find((n) => this.definition.params[n]?.address === address + k);
      if (!name) throw new ModbusException(EXCEPTION.ILLEGAL_DATA_ADDRESS, `register ${address + k} is not writable`);
      if (words[k] === 0) throw new ModbusException(EXCEPTION.ILLEGAL_DATA_VALUE, `${name} ratio 0`);
    }
    this.advance(this.now());
    words.forEach((w, k) => {
      const name = (['pt', 'ct'] as const).find((n) => this.definition.params[n]?.address === address + k)!;
      this.params[name] = w;
    });
  }

  private measureAt(t: number): { values: Instant; importKw: number } {
    const load = this.loadFn ? this.loadFn(t) : this.fixed;
    return measure(load, this.nominalV, this.frequencyHz, this.rand, this.currentFault);
  }

  /** Integrates the power measured at the last step over the time since (a left Riemann sum: exact for constant load). */
  private advance(t: number): void {
    if (t <= this.lastT) return;
    this.energyKwh += (this.importKw * (t - this.lastT)) / MS_PER_HOUR;
    this.lastT = t;
  }
}
