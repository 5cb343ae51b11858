// The alert queue: filter by model, enterprise and state (kept in the URL, so a filtered
// queue can be bookmarked or sent to a colleague), newest first; a row opens the alert.
import { api, query } from '../api.js';
import { badge, fill, h, table } from '../dom.js';
import { window as span } from '../format.js';
import { label, t } from '../i18n.js';

export const MODELS = [
  'treatment-off', 'out-of-sync', 'treatment-weak', 'frequent-cycling', 'order-breach', 'data-gap', 'meter-integrity',
  'runtime-short', 'energy-ratio-drop', 'night-production', 'consumption-surge', 'treatment-degrading', 'risk-ranking',
];
const STATES = ['open', 'acknowledged', 'dispatched', 'closed'];
/** Rows shown at most; narrow the filters to see older ones. */
const LIMIT = 500;

export async function render({ root, query: q }) {
  const filter = { model: q.get('model') ?? '', enterprise: q.get('enterprise') ?? '', state: q.get('state') ?? 'active' };
  const [overview, result] = await Promise.all([
    api('/views/overview'),
    api(`/alerts${query({ model: filter.model, enterprise: filter.enterprise, state: filter.state === 'active' ? 'open,acknowledged,dispatched' : filter.state, limit: LIMIT })}`),
  ]);
  const names = new Map(overview.enterprises.map((e) => [e.id, e.name]));
  let alerts = result.alerts;
  if (q.get('overdue')) alerts = alerts.filter((a) => a.overdue);
  const apply = (name) => (event) => {
    const next = { ...filter, [name]: event.target.value };
    location.hash = `#/alerts${query(next)}`;
  };
  const select = (name, options) =>
    h('select', { name, onchange: apply(name) }, options.map(([value, text]) => h('option', { value, selected: value === filter[name] }, text)));
  fill(
    root,
    h('h1', null, t('alerts.title')),
    h(
      'div',
      { class: 'filters' },
      h('label', null, t('alerts.filter.model'), select('model', [['', t('alerts.filter.any')], ...MODELS.map((m) => [m, label('model', m)])])),
      h('label', null, t('alerts.filter.enterprise'), select('enterprise', [['', t('alerts.filter.any')], ...overview.enterprises.map((e) => [e.id, e.name])])),
      h('label', null, t('alerts.filter.state'), select('state', [['active', t('alerts.filter.active')], ['', t('alerts.filter.any')], ...STATES.map((s) => [s, label('astate', s)])])),
    ),
    alerts.length ? alertTable(alerts, names) : h('p', { class: 'empty' }, t('alerts.empty')),
  );
}

function alertTable(alerts, names) {
  const rows = alerts.map((a) => [
    h('a', { href: `#/alert/${a.id}` }, `#${a.id}`),
    label('model', a.model),
    names.get(a.enterpriseId) ?? a.enterpriseId,
    span(a.from, a.ended ? a.to : null),
    [badge(a.state, label('astate', a.state)), ' ', a.overdue ? badge('overdue', t('alerts.overdue')) : null, a.late ? badge('late', t('alerts.late')) : null, a.declared ? badge('declared', t('alerts.declared')) : null],
  ]);
  return table(['id', 'model', 'enterprise', 'window', 'state'].map((c) => t(`alerts.col.${c}`)), rows, (i) => ({ 'data-alert': alerts[i].id }));
}
