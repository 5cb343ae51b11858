// Numbers and times as operators read them, in the page's language.
import { lang, t } from './i18n.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function locale() {
  return lang() === 'zh' ? 'zh-CN' : 'en-GB';
}

export function dateTime(ms) {
  if (ms === null || ms === undefined) return t('common.none');
  return new Date(ms).toLocaleString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** A window "from – to", leaving out the second date when it is the same day. */
export function window(from, to) {
  const a = dateTime(from);
  if (to === null || to === undefined) return `${a} – ${t('alert.ongoing')}`;
  const sameDay = new Date(from).toDateString() === new Date(to).toDateString();
  const b = sameDay ? new Date(to).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' }) : dateTime(to);
  return `${a} – ${b}`;
}

export function duration(ms) {
  if (ms < HOUR_MS) return `${Math.round(ms / MINUTE_MS)} min`;
  if (ms < 2 * DAY_MS) return `${(ms / HOUR_MS).toFixed(1)} h`;
  return `${(ms / DAY_MS).toFixed(1)} d`;
}

export function ago(ms, now = Date.now()) {
  if (ms === null || ms === undefined) return t('common.none');
  const d = Math.max(0, now - ms);
  if (d < MINUTE_MS) return t('time.ago.s', { n: Math.round(d / SECOND_MS) });
  if (d < HOUR_MS) return t('time.ago.m', { n: Math.round(d / MINUTE_MS) });
  if (d < DAY_MS) return t('time.ago.h', { n: Math.round(d / HOUR_MS) });
  return t('time.ago.d', { n: Math.round(d / DAY_MS) });
}

export function kW(watts) {
  if (watts === null || watts === undefined) return t('common.none');
  return `${(watts / 1000).toFixed(watts >= 100_000 ? 0 : 1)} ${t('unit.kw')}`;
}

/** An evidence number: integers as they are, others to 3 significant digits. */
export function number(value) {
  if (typeof value !== 'number') return String(value);
  return Number.isInteger(value) ? value.toLocaleString(locale()) : value.toPrecision(3);
}

/** Value for an <input type="datetime-local"> in the browser's time zone. */
export function toLocalInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * MINUTE_MS);
  return d.toISOString().slice(0, 16);
}
