// Levels in effect per facility per local day: configured thresholds over values learned
// from the facility's own 15-minute powers of the LEARN_DAYS days before that day
// (DESIGN.md "Learned running level"). Learning from the days before, not the day itself,
// keeps a day's states fixed once its past is known, so live and replay agree. A facility
// with less than a day of history learns from what it has, that day included.
import type { FacilityInfo } from './contract.js';
import { effectiveLevels, learnLevels, type LearnedLevels, type Levels } from './facility-state.js';
import { localDayEnd, localDayStart } from './local-time.js';
import { DAY_MS } from './model.js';

export const LEARN_DAYS = 60;
/** One day of quarter hours: less history than this and the day itself is used too. */
const MIN_LEARN_QUARTERS = 96;

/** 15-minute powers of one facility's local day (sync; the engine preloads them). */
export type DayQuarters = (facility: string, dayStart: number) => readonly number[];

export class LevelBook {
  private readonly learned = new Map<string, LearnedLevels | null>();

  constructor(
    private readonly facilities: ReadonlyMap<string, Pick<FacilityInfo, 'thresholds'>>,
    private readonly quarters: DayQuarters,
    readonly timeZone: string,
  ) {}

  /** The local days before `dayStart` whose quarters learning for it reads. */
  learningDays(dayStart: number): number[] {
    const days: number[] = [];
    for (let d = localDayStart(dayStart - LEARN_DAYS * DAY_MS + DAY_MS / 2, this.timeZone); d < dayStart; d = localDayEnd(d, this.timeZone)) {
      days.push(d);
    }
    return days;
  }

  /** Whether the facility has thresholds to learn (an operator may have set all three). */
  learns(facility: string): boolean {
    const t = this.facilities.get(facility)?.thresholds ?? {};
    return t.offBelowW === undefined || t.runningAboveW === undefined || t.runningLevelW === undefined;
  }

  /** Whether the history before the day is too short, so the day itself is learned from too. */
  needsOwnDay(facility: string, dayStart: number): boolean {
    let quarters = 0;
    for (const d of this.learningDays(dayStart)) quarters += this.quarters(facility, d).length;
    return quarters < MIN_LEARN_QUARTERS;
  }

  learnedAt(facility: string, minute: number): LearnedLevels | null {
    const day = localDayStart(minute, this.timeZone);
    const key = `${facility}|${day}`;
    if (this.learned.has(key)) return this.learned.get(key)!;
    const values: number[] = [];
    for (const d of this.learningDays(day)) for (const q of this.quarters(facility, d)) values.push(q);
    if (values.length < MIN_LEARN_QUARTERS) for (const q of this.quarters(facility, day)) values.push(q);
    const result = learnLevels(values);
    this.learned.set(key, result);
    return result;
  }

  levelsAt(facility: string, minute: number): Levels | undefined {
    const info = this.facilities.get(facility);
    if (!info) return undefined;
    return effectiveLevels(info, this.learns(facility) ? this.learnedAt(facility, minute) : null);
  }

  /** Forgets what was learned for days from `fromDay` on (late data changed their past). */
  forget(facility: string, fromDay: number): void {
    for (const key of this.learned.keys()) {
      const [f, day] = key.split('|');
      if (f === facility && Number(day) >= fromDay) this.learned.delete(key);
    }
  }

  /** What was learned so far, for comparing after late data. */
  snapshot(facility: string): Map<number, LearnedLevels | null> {
    const out = new Map<number, LearnedLevels | null>();
    for (const [key, value] of this.learned) {
      const [f, day] = key.split('|');
      if (f === facility) out.set(Number(day), value);
    }
    return out;
  }
}
