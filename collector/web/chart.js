// The picture inspectors recognise: production and treatment power on one time axis, with
// alert windows shaded behind the curves. uPlot draws it; a drag selects a window that the
// caller reloads at finer resolution (onZoom), so a month view can zoom down to minutes.
import { dateTime } from './format.js';
import { label, t } from './i18n.js';

/** Warm colours for production, cool ones for treatment, grey for the incoming feeder. */
const PALETTE = {
  production: ['#d9480f', '#e8590c', '#c2255c', '#f08c00'],
  treatment: ['#1971c2', '#2f9e44', '#0c8599', '#5f3dc4'],
  total: ['#868e96'],
};
const ALERT_FILL = 'rgba(224, 49, 49, 0.13)';
const ALERT_EDGE = 'rgba(224, 49, 49, 0.55)';
const CHART_HEIGHT_PX = 320;
const WATTS_PER_KW = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Draws `view` ({t: ms[], series: [{id, name, kind, values: W[]}]}) into `container` and
 * returns a function that removes it. `alerts` are {from, to} windows to shade.
 */
export function powerChart(container, view, { alerts = [], onZoom, height = CHART_HEIGHT_PX } = {}) {
  const used = { production: 0, treatment: 0, total: 0 };
  const series = view.series.map((s) => {
    const colours = PALETTE[s.kind] ?? PALETTE.total;
    const stroke = colours[used[s.kind]++ % colours.length];
    return { label: `${s.name} (${label('kind', s.kind)})`, stroke, width: s.kind === 'treatment' ? 2 : 1.5, spanGaps: false, value: (_, v) => (v === null ? '—' : `${v.toFixed(1)} kW`) };
  });
  const data = [view.t, ...view.series.map((s) => s.values.map((w) => (w === null ? null : w / WATTS_PER_KW)))];
  const options = {
    width: Math.max(320, container.clientWidth),
    height,
    ms: 1, // timestamps are epoch milliseconds
    cursor: { drag: { x: true, y: false, setScale: false } },
    scales: { x: { time: true }, y: { range: (_, min, max) => [0, Math.max(1, max * 1.08)] } },
    axes: [{ values: timeTicks }, { label: t('unit.kw'), size: 60 }],
    series: [{ label: t('chart.time'), value: (_, ms) => (ms === null ? '—' : dateTime(ms)) }, ...series],
    hooks: {
      drawClear: [(u) => shadeAlerts(u, alerts)],
      setSelect: [
        (u) => {
          if (u.select.width < 2 || !onZoom) return;
          const from = Math.round(u.posToVal(u.select.left, 'x'));
          const to = Math.round(u.posToVal(u.select.left + u.select.width, 'x'));
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onZoom(from, to);
        },
      ],
    },
  };
  const chart = new window.uPlot(options, data, container); // index.html loads uPlot's minified build
  container.chart = chart; // read by the browser test (test/web) to check the curves have data
  const resize = () => chart.setSize({ width: Math.max(320, container.clientWidth), height });
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    chart.destroy();
    delete container.chart;
  };
}

/** 24-hour ticks, the date at midnight and on day-spaced ticks (uPlot's defaults say "4am"). */
function timeTicks(_u, splits, _axis, _space, incr) {
  const two = (n) => String(n).padStart(2, '0');
  return splits.map((ms) => {
    const d = new Date(ms);
    const date = `${d.getMonth() + 1}/${d.getDate()}`;
    if (incr >= DAY_MS || (d.getHours() === 0 && d.getMinutes() === 0)) return date;
    return `${two(d.getHours())}:${two(d.getMinutes())}`;
  });
}

function shadeAlerts(u, alerts) {
  const { ctx, bbox } = u;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  for (const alert of alerts) {
    const x0 = u.valToPos(alert.from, 'x', true);
    const x1 = u.valToPos(alert.to ?? u.scales.x.max, 'x', true);
    const width = Math.max(2, x1 - x0);
    ctx.fillStyle = ALERT_FILL;
    ctx.fillRect(x0, bbox.top, width, bbox.height);
    ctx.fillStyle = ALERT_EDGE;
    ctx.fillRect(x0, bbox.top, 1, bbox.height);
  }
  ctx.restore();
}
