// One enterprise: its facilities, and production and treatment power on one time axis
// with its alerts shaded, from one day to a month (range buttons, or drag to zoom).
import { api, query } from '../api.js';
import { powerChart } from '../chart.js';
import { badge, fill, h, table } from '../dom.js';
import { kW, window as span } from '../format.js';
import { label, t } from '../i18n.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const RANGES = { '1d': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS };
const DEFAULT_RANGE = '1d';
/** How often a range ending now is redrawn (ms): readings arrive about once a minute. */
const REFRESH_MS = 60_000;

export async function render({ root, args, query: q, onCleanup, showError, clearError }) {
  const id = args[0];
  const base = `#/enterprise/${encodeURIComponent(id)}`;
  let removeChart = () => {};
  const draw = async () => {
    const { from, to, range } = windowFrom(q);
    const view = await api(`/views/enterprises/${encodeURIComponent(id)}/series${query({ from, to })}`);
    const chartBox = h('div', { class: 'chart', id: 'enterprise-chart' });
    removeChart();
    fill(
      root,
      h('h1', null, view.enterprise.name, ' ', h('small', { class: 'muted' }, view.enterprise.id)),
      h('h2', null, t('ent.facilities')),
      facilityTable(view.facilities),
      h('h2', null, t('ent.chart')),
      h(
        'div',
        { class: 'toolbar' },
        Object.keys(RANGES).map((r) => h('a', { class: `btn ${r === range ? 'active' : ''}`, href: `${base}?range=${r}`, 'data-range': r }, t(`range.${r}`))),
        range ? null : h('a', { class: 'btn', href: base }, t('range.reset')),
        h('span', { class: 'muted' }, `${span(view.from, view.to)} · ${t('ent.zoomHint')}`),
      ),
      chartBox,
      view.series.some((s) => s.values.some((v) => v !== null)) ? null : h('p', { class: 'empty' }, t('ent.noData')),
      h('h2', null, t('ent.alerts')),
      alertList(view.alerts),
    );
    removeChart = powerChart(chartBox, view, { alerts: view.alerts, onZoom: (a, b) => (location.hash = `${base}?from=${a}&to=${b}`) });
    return range;
  };
  // A range that ends now follows the live data; a zoomed window stays as it is.
  if (await draw()) {
    const timer = setInterval(() => draw().then(clearError, showError), REFRESH_MS);
    onCleanup(() => clearInterval(timer));
  }
  onCleanup(() => removeChart());
}

/** The window asked for in the URL: ?range=7d, or ?from=&to= after a zoom. */
function windowFrom(q) {
  const from = Number(q.get('from'));
  const to = Number(q.get('to'));
  if (from > 0 && to > from) return { from, to, range: null };
  const range = RANGES[q.get('range')] ? q.get('range') : DEFAULT_RANGE;
  const now = Date.now();
  return { from: now - RANGES[range], to: now, range };
}

function facilityTable(facilities) {
  const byId = new Map(facilities.map((f) => [f.id, f.name]));
  const rows = facilities.map((f) => [
    f.name,
    badge(f.kind, label('kind', f.kind)),
    f.serves.length ? f.serves.map((s) => byId.get(s) ?? s).join('、') : t('common.none'),
    kW(f.latestW),
  ]);
  return table(['facility', 'kind', 'serves', 'power'].map((c) => t(`ent.col.${c}`)), rows);
}

function alertList(alerts) {
  if (!alerts.length) return h('p', { class: 'empty' }, t('alerts.empty'));
  const rows = alerts.map((a) => [
    h('a', { href: `#/alert/${encodeURIComponent(a.id)}` }, `#${a.id}`),
    label('model', a.model),
    span(a.from, a.ended ? a.to : null),
    badge(a.state, label('astate', a.state)),
  ]);
  return table(['id', 'model', 'window', 'state'].map((c) => t(`alerts.col.${c}`)), rows, (i) => ({ 'data-window': JSON.stringify({ from: alerts[i].from, to: alerts[i].to }) }));
}
