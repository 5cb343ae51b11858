// Gateways: online or offline, last health report, the configuration version the
// collector published against what the agent acked, outbox depth and clock offset.
import { api } from '../api.js';
import { badge, fill, h, table } from '../dom.js';
import { ago, number } from '../format.js';
import { t } from '../i18n.js';

const REFRESH_MS = 30_000;

export async function render({ root, onCleanup, showError, clearError }) {
  const draw = async () => {
    const { now, gateways } = await api('/views/gateways');
    fill(root, h('h1', null, t('gw.title')), gateways.length ? gatewayTable(gateways, now) : h('p', { class: 'empty' }, t('gw.empty')));
  };
  await draw();
  const timer = setInterval(() => draw().then(clearError, showError), REFRESH_MS);
  onCleanup(() => clearInterval(timer));
}

function gatewayTable(gateways, now) {
  const rows = gateways.map((g) => [
    g.id,
    g.enterpriseId ? h('a', { href: `#/enterprise/${encodeURIComponent(g.enterpriseId)}` }, g.enterpriseName ?? g.enterpriseId) : t('common.none'),
    g.online === null ? badge('unknown', t('gw.never')) : g.online ? badge('online', t('gw.online')) : badge('offline', t('gw.offline')),
    ago(g.lastSeenAt, now),
    g.healthAt ? [ago(g.healthAt, now), h('br'), h('small', { class: 'muted' }, t('gw.meters', { ok: g.metersOk, n: g.meters }))] : t('common.none'),
    config(g),
    g.outboxDepth === null ? t('common.none') : number(g.outboxDepth),
    g.clockOffsetMs === null ? t('common.none') : `${(g.clockOffsetMs / 1000).toFixed(1)} s`,
  ]);
  const headers = ['id', 'enterprise', 'state', 'lastSeen', 'health', 'config', 'outbox', 'clock'].map((c) => t(`gw.col.${c}`));
  return table(headers, rows, (i) => ({ 'data-gateway': gateways[i].id }));
}

function config(g) {
  if (g.configState === 'none') return badge('none', t('gw.cfg.none'));
  const state = badge(g.configState === 'ok' ? 'ok' : g.configState, t(`gw.cfg.${g.configState}`));
  const running = g.runningVersion !== null && g.runningVersion !== g.configVersion ? ` (${g.runningVersion})` : '';
  return [`v${g.configVersion}${running} `, state, g.configErrors.length ? h('div', { class: 'muted' }, g.configErrors.join('; ')) : null];
}
