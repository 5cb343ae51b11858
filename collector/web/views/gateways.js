// Gateways: online or offline, last health report, the configuration version the
// collector published against what the agent acked, outbox depth and clock offset
// (DESIGN.md: a reading leaves the outbox only when acked, so a growing depth means the
// uplink or the collector is behind).
import { api } from '../api.js';
import { badge, fill, h, table } from '../dom.js';
import { ago, number } from '../format.js';
import { t } from '../i18n.js';

const REFRESH_MS = 30_000;

export async function render({ root, onCleanup, showError, clearError }) {
  const draw = async () => {
    const [{ gateways }, overview] = await Promise.all([api('/gateways'), api('/views/overview')]);
    const names = new Map(overview.enterprises.map((e) => [e.id, e.name]));
    fill(root, h('h1', null, t('gw.title')), gateways.length ? gatewayTable(gateways, names, overview.now) : h('p', { class: 'empty' }, t('gw.empty')));
  };
  await draw();
  const timer = setInterval(() => draw().then(clearError, showError), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
}

function gatewayTable(gateways, names, now) {
  const rows = gateways.map((g) => [
    g.id,
    g.enterpriseId ? h('a', { href: `#/enterprise/${encodeURIComponent(g.enterpriseId)}` }, names.get(g.enterpriseId) ?? g.enterpriseId) : t('common.none'),
    g.online === null ? badge('unknown', t('gw.never')) : g.online ? badge('online', t('gw.online')) : badge('offline', t('gw.offline')),
    ago(g.lastSeenAt, now),
    health(g, now),
    config(g.config),
    g.health ? number(g.health.outbox.depth) : t('common.none'),
    g.clockOffsetMs === null ? t('common.none') : `${(g.clockOffsetMs / 1000).toFixed(1)} s`,
  ]);
  const headers = ['id', 'enterprise', 'state', 'lastSeen', 'health', 'config', 'outbox', 'clock'].map((c) => t(`gw.col.${c}`));
  return table(headers, rows, (i) => ({ 'data-gateway': gateways[i].id }));
}

/** When the last health report came, and how many meters answer (messages.ts Health). */
function health(g, now) {
  if (!g.health) return t('common.none');
  const meters = g.health.meters;
  const ok = meters.filter((m) => m.lastErrorT === null || (m.lastOkT ?? 0) > m.lastErrorT).length;
  return [ago(g.healthAt, now), h('br'), h('small', { class: 'muted' }, t('gw.meters', { ok, n: meters.length }))];
}

function config(c) {
  if (c.version === null) return badge('none', t('gw.cfg.none'));
  const state = c.rejected ? 'rejected' : c.outdated ? 'pending' : 'ok';
  const running = c.running !== null && c.running !== c.version ? ` (${c.running})` : '';
  return [`v${c.version}${running} `, badge(state, t(`gw.cfg.${state}`)), c.errors.length ? h('div', { class: 'muted' }, c.errors.join('; ')) : null];
}
