// Local days in an enterprise's IANA zone: daily models cut days at local midnight
// (DESIGN.md "The models"); night-production counts hours from it.
import { DAY_MS, HOUR_MS, MINUTE_MS } from './model.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets change at most every 15 min in any zone; cache per zone and quarter hour. */
const offsetCache = new Map<string, Map<number, number>>();
const OFFSET_CACHE_LIMIT = 100_000;
const QUARTER_MS = 15 * MINUTE_MS;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when it is not a valid IANA zone. */
export function checkTimeZone(timeZone: string): string {
  formatter(timeZone);
  return timeZone;
}

/** Local wall time minus UTC at instant t (ms). */
export function zoneOffsetMs(t: number, timeZone: string): number {
  const bucket = Math.floor(t / QUARTER_MS) * QUARTER_MS;
  let zone = offsetCache.get(timeZone);
  if (!zone) offsetCache.set(timeZone, (zone = new Map()));
  const cached = zone.get(bucket);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(bucket)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  const offset = wall - bucket;
  if (zone.size > OFFSET_CACHE_LIMIT) zone.clear();
  zone.set(bucket, offset);
  return offset;
}

/** UTC instant of the local midnight starting the local day that contains t. */
export function localDayStart(t: number, timeZone: string): number {
  const local = t + zoneOffsetMs(t, timeZone);
  const midnightWall = Math.floor(local / DAY_MS) * DAY_MS;
  // The offset at midnight may differ from t's (a DST change that day): settle it.
  return midnightWall - zoneOffsetMs(midnightWall - zoneOffsetMs(t, timeZone), timeZone);
}

/** UTC instant where the local day after the one containing t starts. */
export function localDayEnd(t: number, timeZone: string): number {
  return localDayStart(localDayStart(t, timeZone) + DAY_MS + 2 * HOUR_MS, timeZone);
}

/** The local day starts covering [from, to). */
export function localDaysBetween(from: number, to: number, timeZone: string): number[] {
  const days: number[] = [];
  for (let d = localDayStart(from, timeZone); d < to; d = localDayEnd(d, timeZone)) days.push(d);
  return days;
}
