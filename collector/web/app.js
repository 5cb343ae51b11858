// The page's shell: login, navigation, language switch, and a hash router that loads one
// view module per page (#/overview, #/enterprise/<id>, #/alerts, #/alert/<id>, #/gateways,
// #/orders). Views are loaded on first use so the first paint stays small.
import { api, operatorName, setOperatorName, setToken, token } from './api.js';
import { h } from './dom.js';
import { lang, setLang, t } from './i18n.js';

const VIEWS = {
  overview: () => import('./views/overview.js'),
  enterprise: () => import('./views/enterprise.js'),
  alerts: () => import('./views/alerts.js'),
  alert: () => import('./views/alert.js'),
  gateways: () => import('./views/gateways.js'),
  orders: () => import('./views/orders.js'),
};
const NAV = [
  ['overview', 'nav.overview'],
  ['alerts', 'nav.alerts'],
  ['gateways', 'nav.gateways'],
  ['orders', 'nav.orders'],
];

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let role = null;
let cleanups = [];
let renderCount = 0;
/** Why the login form is shown again (e.g. the collector could not be reached). */
let loginNotice = null;
/** A confirmation for the next render only (e.g. "saved"). */
let flash = null;

/** Shows an API error (or any text) above the page until the next page change. */
function showError(error) {
  banner.textContent = error?.userMessage ?? error?.message ?? String(error);
  banner.hidden = false;
}

function clearError() {
  banner.hidden = true;
  banner.textContent = '';
}

/**
 * POSTs `body` to an API path, then renders the page again with a confirmation
 * (`done(result)` gives its text); on failure the error stays on the page as it is.
 */
async function post(path, body, done) {
  clearError();
  try {
    const result = await api(path, { method: 'POST', body });
    flash = done(result);
    await route();
  } catch (error) {
    showError(error);
  }
}

function parseRoute() {
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  const [name, ...args] = path.split('/').map(decodeURIComponent);
  return { name: VIEWS[name] ? name : 'overview', args, query: new URLSearchParams(search ?? '') };
}

function renderChrome() {
  document.title = t('app.title');
  const nav = document.getElementById('nav');
  const current = parseRoute().name;
  nav.replaceChildren(
    ...(role ? NAV.map(([name, key]) => h('a', { href: `#/${name}`, class: current === name || (name === 'alerts' && current === 'alert') ? 'active' : null }, t(key))) : []),
  );
  document.getElementById('lang').textContent = t('lang.switch');
  const logout = document.getElementById('logout');
  logout.textContent = t('nav.logout');
  logout.hidden = !role;
}

async function route() {
  for (const fn of cleanups) fn();
  cleanups = [];
  clearError();
  renderChrome();
  if (!role) return renderLogin(loginNotice);
  const { name, args, query } = parseRoute();
  const mine = ++renderCount;
  main.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
  try {
    const view = await VIEWS[name]();
    if (mine !== renderCount) return; // the operator moved on meanwhile
    const root = h('section', { class: `view view-${name}` });
    main.replaceChildren(root);
    const notice = flash;
    flash = null;
    await view.render({ root, args, query, role, flash: notice, post, onCleanup: (fn) => cleanups.push(fn), showError, clearError });
  } catch (error) {
    if (error?.status === 401) {
      loginNotice = error.userMessage;
      return logout();
    }
    showError(error);
  }
}

function renderLogin(message) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'current-password', required: true, placeholder: t('login.token') });
  const name = h('input', { id: 'operator', autocomplete: 'name', maxlength: 100, value: operatorName() });
  const status = h('p', { class: 'muted' }, message ?? t('login.hint'));
  const form = h(
    'form',
    { class: 'login card', onsubmit: (event) => (event.preventDefault(), login(input.value.trim(), name.value.trim(), status)) },
    h('h1', null, t('login.title')),
    h('label', { for: 'token' }, t('login.token')),
    input,
    h('label', { for: 'operator' }, t('login.name')),
    name,
    h('button', { type: 'submit', class: 'primary' }, t('login.submit')),
    status,
  );
  main.replaceChildren(form);
  input.focus();
}

async function login(candidate, name, status) {
  if (!candidate) return;
  status.textContent = t('login.checking');
  try {
    const me = await api('/views/whoami', { tokenOverride: candidate });
    setToken(candidate);
    setOperatorName(name);
    role = me.role;
    loginNotice = null;
    // Changing the hash renders through the hashchange listener; otherwise render here.
    if (!location.hash || location.hash === '#/') location.hash = '#/overview';
    else await route();
  } catch (error) {
    status.textContent = error.userMessage ?? String(error);
  }
}

function logout() {
  setToken(null);
  role = null;
  route();
}

async function start() {
  setLang(lang());
  document.getElementById('lang').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    route();
  });
  document.getElementById('logout').addEventListener('click', () => {
    loginNotice = null;
    logout();
  });
  window.addEventListener('hashchange', route);
  if (token()) {
    try {
      role = (await api('/views/whoami')).role;
    } catch (error) {
      if (error.status === 401) setToken(null);
      else loginNotice = error.userMessage;
    }
  }
  route();
}

start();
