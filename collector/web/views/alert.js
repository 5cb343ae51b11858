// One alert: what tripped (model, window, the numbers), the evidence chart (both curves
// over the window, shaded), its history, and the next steps of the workflow
// open → acknowledged → dispatched → closed with a disposition (DESIGN.md "The models").
import { api, operatorName, query } from '../api.js';
import { powerChart } from '../chart.js';
import { badge, fill, h } from '../dom.js';
import { dateTime, duration, kW, number, window as span } from '../format.js';
import { label, t } from '../i18n.js';

const DISPOSITIONS = ['violation', 'equipment-fault', 'declared', 'false-alarm'];
/** Context shown around the alert window on its chart: half its length, at least 30 min. */
const MIN_MARGIN_MS = 30 * 60 * 1000;
/** The series endpoint answers at most 62 days; a long advance-model window shows its end. */
const MAX_CHART_MS = 60 * 24 * 60 * 60 * 1000;

export async function render({ root, args, role, flash, post, onCleanup }) {
  const id = args[0];
  const alert = await api(`/alerts/${encodeURIComponent(id)}`);
  const margin = Math.max(MIN_MARGIN_MS, (alert.to - alert.from) / 2);
  const to = alert.to + margin;
  const from = Math.max(alert.from - margin, to - MAX_CHART_MS);
  // No facilities (an enterprise-wide alert): the series endpoint then shows them all.
  const view = await api(`/views/enterprises/${encodeURIComponent(alert.enterpriseId)}/series${query({ from, to, facilities: alert.facilities.join(',') })}`);
  const facilityName = new Map(view.facilities.map((f) => [f.id, f.name]));
  const chartBox = h('div', { class: 'chart', id: 'alert-chart' });
  const act = (step, body) =>
    post(`/alerts/${encodeURIComponent(id)}/${step}`, { ...body, by: operatorName() || undefined }, (updated) => t('alert.done', { state: label('astate', updated.state) }));
  fill(
    root,
    h('p', null, h('a', { href: '#/alerts' }, `← ${t('common.back')}`)),
    h('h1', null, t('alert.title', { id: alert.id }), ' ', label('model', alert.model), ' ', badge(alert.state, label('astate', alert.state)), alert.overdue ? [' ', badge('overdue', t('alerts.overdue'))] : null),
    flash ? h('p', { class: 'notice', id: 'flash' }, flash) : null,
    h('p', null, alert.message),
    h(
      'div',
      { class: 'columns' },
      h('div', { class: 'card' }, facts(alert, view, facilityName)),
      h('div', { class: 'card' }, h('h2', null, t('alert.numbers')), evidence(alert.evidence)),
    ),
    alert.state === 'closed' ? null : role === 'admin' ? actions(alert, act) : h('p', { class: 'muted' }, t('login.readonly')),
    h('h2', null, t('alert.evidence')),
    chartBox,
    h('h2', null, t('alert.history')),
    history(alert),
  );
  onCleanup(powerChart(chartBox, view, { alerts: [alert] }));
}

function facts(alert, view, facilityName) {
  const rows = [
    ['alert.enterprise', h('a', { href: `#/enterprise/${encodeURIComponent(alert.enterpriseId)}` }, view.enterprise.name)],
    ['alert.facilities', alert.facilities.map((f) => facilityName.get(f) ?? f).join('、')],
    ['alert.window', span(alert.from, alert.ended ? alert.to : null)],
    ['alert.duration', duration(alert.to - alert.from)],
    ['alert.severity', badge(alert.severity, label('severity', alert.severity))],
    ['alert.deadline', alert.deadlineAt ? dateTime(alert.deadlineAt) : t('common.none')],
    ['alert.disposition', alert.disposition ? label('disp', alert.disposition) : t('common.none')],
  ];
  return h('dl', { class: 'facts' }, rows.map(([key, value]) => [h('dt', null, t(key)), h('dd', null, value)]));
}

function evidence(numbers) {
  const entries = Object.entries(numbers ?? {});
  if (!entries.length) return h('p', { class: 'empty' }, t('common.none'));
  return h('dl', { class: 'facts evidence' }, entries.map(([name, value]) => [h('dt', null, name), h('dd', null, evidenceValue(name, value))]));
}

/** Models name evidence with its unit last (productionPowerW, dwellMin, cutPct): show it so. */
function evidenceValue(name, value) {
  if (value === null) return t('common.none');
  if (typeof value !== 'number') return String(value);
  if (/W$/.test(name)) return kW(value);
  if (/Min$/.test(name)) return `${number(value)} min`;
  if (/Pct$/.test(name)) return `${number(value)} %`;
  return number(value);
}

/** The buttons for the steps the alert can take next; closing is possible from any open state. */
function actions(alert, act) {
  const note = h('input', { name: 'note', placeholder: t('alert.note') });
  const row = [h('label', null, t('alert.note'), note)];
  if (alert.state === 'open') row.push(h('button', { type: 'button', class: 'primary', id: 'do-acknowledge', onclick: () => act('acknowledge', { note: note.value || undefined }) }, t('alert.acknowledge')));
  if (alert.state === 'acknowledged') {
    const assignee = h('input', { name: 'assignee', placeholder: t('alert.assignee') });
    row.push(h('label', null, t('alert.assignee'), assignee));
    row.push(h('button', { type: 'button', class: 'primary', id: 'do-dispatch', onclick: () => act('dispatch', { assignee: assignee.value || undefined, note: note.value || undefined }) }, t('alert.dispatch')));
  }
  const disposition = h('select', { name: 'disposition' }, DISPOSITIONS.map((d) => h('option', { value: d, selected: alert.declared && d === 'declared' }, label('disp', d))));
  row.push(h('label', null, t('alert.disposition'), disposition));
  row.push(h('button', { type: 'button', id: 'do-close', onclick: () => act('close', { disposition: disposition.value, note: note.value || undefined }) }, t('alert.close')));
  return h('div', { class: 'actions card' }, row);
}

function history(alert) {
  const steps = [
    ['open', alert.openedAt, null],
    ['acknowledged', alert.acknowledgedAt, alert.acknowledgedBy],
    ['dispatched', alert.dispatchedAt, alert.dispatchedBy],
    ['closed', alert.closedAt, alert.closedBy],
  ].filter(([, at]) => at);
  return h(
    'ol',
    { class: 'history' },
    steps.map(([state, at, by]) => h('li', null, `${dateTime(at)} · ${label('astate', state)}${by ? ` · ${by}` : ''}`)),
    (alert.note ?? '').split('\n').filter(Boolean).map((line) => h('li', { class: 'muted' }, `${t('alert.note')} · ${line}`)),
  );
}
