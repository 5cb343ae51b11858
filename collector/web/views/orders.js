// Orders and notices: a regulator's stop or limit-production orders, and the enterprises'
// declared maintenance windows (alerts inside a notice are recorded as declared, not
// raised as violations). Enter one with the form, see all in the tables.
import { api } from '../api.js';
import { fill, h, table } from '../dom.js';
import { dateTime, toLocalInput } from '../format.js';
import { label, t } from '../i18n.js';

const HOUR_MS = 60 * 60 * 1000;

export async function render({ root, role, flash, post, showError }) {
  const [overview, { orders }, { notices }] = await Promise.all([api('/views/overview'), api('/orders'), api('/notices')]);
  const enterpriseName = new Map(overview.enterprises.map((e) => [e.id, e.name]));
  const facilities = overview.enterprises.flatMap((e) => e.facilities.map((f) => ({ ...f, enterprise: e.name })));
  const facilityName = new Map(facilities.map((f) => [f.id, `${f.enterprise} · ${f.name}`]));
  const submit = (path, read) => (event) => {
    event.preventDefault();
    const body = read(new FormData(event.target));
    if (typeof body === 'string') return showError(body);
    return post(path, body, () => t('form.saved'));
  };
  fill(
    root,
    flash ? h('p', { class: 'notice', id: 'flash' }, flash) : null,
    h('h1', null, t('orders.title')),
    role === 'admin' ? orderForm(overview.enterprises, submit('/orders', readOrder)) : h('p', { class: 'muted' }, t('login.readonly')),
    orders.length
      ? table(
          ['kind', 'enterprises', 'from', 'to', 'limitPct'].map((c) => t(`orders.${c}`)),
          orders.map((o) => [t(`orders.kind.${o.kind}`), o.enterpriseIds.map((id) => enterpriseName.get(id) ?? id).join('、'), dateTime(o.from), dateTime(o.to), o.limitPct ?? t('common.none')]),
        )
      : h('p', { class: 'empty' }, t('orders.empty')),
    h('h1', null, t('notices.title')),
    role === 'admin' ? noticeForm(facilities, submit('/notices', readNotice)) : null,
    notices.length
      ? table(
          [t('notices.facility'), t('orders.from'), t('orders.to'), t('notices.reason')],
          notices.map((n) => [facilityName.get(n.facility) ?? n.facility, dateTime(n.from), dateTime(n.to), n.reason]),
        )
      : h('p', { class: 'empty' }, t('notices.empty')),
  );
}

function windowInputs() {
  const now = Date.now();
  return [
    h('label', null, t('orders.from'), h('input', { type: 'datetime-local', name: 'from', required: true, value: toLocalInput(now) })),
    h('label', null, t('orders.to'), h('input', { type: 'datetime-local', name: 'to', required: true, value: toLocalInput(now + 24 * HOUR_MS) })),
  ];
}

function orderForm(enterprises, onsubmit) {
  return h(
    'form',
    { class: 'form-row card', id: 'order-form', onsubmit },
    h('label', null, t('orders.kind'), h('select', { name: 'kind' }, ['stop', 'limit'].map((k) => h('option', { value: k }, t(`orders.kind.${k}`))))),
    h('label', null, t('orders.enterprises'), h('select', { name: 'enterpriseIds', multiple: true, required: true, size: Math.min(5, enterprises.length) }, enterprises.map((e) => h('option', { value: e.id }, e.name)))),
    windowInputs(),
    h('label', null, t('orders.limitPct'), h('input', { type: 'number', name: 'limitPct', min: 1, max: 100, step: 1 })),
    h('button', { type: 'submit', class: 'primary' }, t('orders.add')),
  );
}

function noticeForm(facilities, onsubmit) {
  return h(
    'form',
    { class: 'form-row card', id: 'notice-form', onsubmit },
    h('label', null, t('notices.facility'), h('select', { name: 'facility', required: true }, facilities.map((f) => h('option', { value: f.id }, `${f.enterprise} · ${f.name} (${label('kind', f.kind)})`)))),
    windowInputs(),
    h('label', null, t('notices.reason'), h('input', { name: 'reason', required: true, maxlength: 500 })),
    h('button', { type: 'submit', class: 'primary' }, t('notices.add')),
  );
}

/** The form's window in epoch ms, or the words for what is wrong with it. */
function readWindow(form) {
  const from = new Date(form.get('from')).getTime();
  const to = new Date(form.get('to')).getTime();
  if (!Number.isFinite(from)) return t('form.required', { field: t('orders.from') });
  if (!Number.isFinite(to)) return t('form.required', { field: t('orders.to') });
  return to > from ? { from, to } : t('form.badWindow');
}

function readOrder(form) {
  const window = readWindow(form);
  if (typeof window === 'string') return window;
  const enterpriseIds = form.getAll('enterpriseIds');
  if (!enterpriseIds.length) return t('form.required', { field: t('orders.enterprises') });
  const kind = form.get('kind');
  const limitPct = form.get('limitPct') ? Number(form.get('limitPct')) : null;
  if (kind === 'limit' && limitPct === null) return t('form.required', { field: t('orders.limitPct') });
  return { kind, enterpriseIds, ...window, limitPct: kind === 'limit' ? limitPct : null };
}

function readNotice(form) {
  const window = readWindow(form);
  if (typeof window === 'string') return window;
  const reason = String(form.get('reason') ?? '').trim();
  if (!reason) return t('form.required', { field: t('notices.reason') });
  return { facility: form.get('facility'), ...window, reason };
}
