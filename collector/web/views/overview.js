// Overview: every enterprise with its current state and its open and overdue alerts.
import { api } from '../api.js';
import { badge, fill, h, table } from '../dom.js';
import { ago } from '../format.js';
import { label, t } from '../i18n.js';

const REFRESH_MS = 30_000;
const STATES = ['tandem', 'alert', 'gap', 'offline'];

export async function render({ root, query, onCleanup, showError, clearError }) {
  // A state card narrows the table to that state (#/overview?state=gap).
  const only = query.get('state');
  const draw = async () => {
    const view = await api('/views/overview');
    const shown = view.enterprises.filter((e) => !only || e.state === only);
    fill(
      root,
      h('h1', null, t('overview.title'), only ? [' · ', label('state', only)] : null),
      summary(view, only),
      view.enterprises.length ? enterpriseTable(shown, view.now) : h('p', { class: 'empty' }, t('overview.empty')),
    );
  };
  await draw();
  const timer = setInterval(() => draw().then(clearError, showError), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
}

function summary({ totals }, only) {
  const card = (text, value, cls, href) => h('a', { class: `stat ${cls ?? ''}`, href }, h('strong', null, String(value)), h('span', null, text));
  return h(
    'div',
    { class: 'stats' },
    card(t('overview.enterprises'), totals.enterprises, only ? null : 'selected', '#/overview'),
    STATES.map((s) => card(label('state', s), totals.byState[s] ?? 0, `state-${s} ${only === s ? 'selected' : ''}`, `#/overview?state=${s}`)),
    card(t('overview.open'), totals.open, totals.open ? 'state-alert' : null, '#/alerts?state=active'),
    card(t('overview.overdue'), totals.overdue, totals.overdue ? 'state-overdue' : null, '#/alerts?state=active&overdue=1'),
  );
}

function enterpriseTable(enterprises, now) {
  const rows = enterprises.map((e) => [
    h('a', { href: `#/enterprise/${encodeURIComponent(e.id)}` }, e.name),
    e.group ?? t('common.none'),
    badge(e.state, label('state', e.state)),
    String(e.facilities.length),
    e.openAlerts ? h('a', { href: `#/alerts?enterprise=${encodeURIComponent(e.id)}&state=active` }, String(e.openAlerts)) : '0',
    e.overdueAlerts ? badge('overdue', String(e.overdueAlerts)) : '0',
    ago(e.lastDataAt, now),
  ]);
  const headers = ['name', 'group', 'state', 'facilities', 'open', 'overdue', 'lastData'].map((c) => t(`overview.col.${c}`));
  return table(headers, rows, (i) => ({ 'data-enterprise': enterprises[i].id }));
}
