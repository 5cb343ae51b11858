// Calls to the collector's HTTP API (/api/v1, bearer token). Every failure becomes an
// ApiError whose `userMessage` tells the operator what to do, in the page's language.
import { t } from './i18n.js';

const TOKEN_KEY = 'tandem.token';
const NAME_KEY = 'tandem.operator';
const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(status, serverMessage, userMessage) {
    super(serverMessage);
    this.status = status;
    this.userMessage = userMessage;
  }
}

export function token() {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

/** Who is at the keyboard, for the alert history (given at login, optional). */
export function operatorName() {
  return localStorage.getItem(NAME_KEY) ?? '';
}

export function setOperatorName(value) {
  if (value) localStorage.setItem(NAME_KEY, value);
  else localStorage.removeItem(NAME_KEY);
}

/** GET (or `method` with a JSON `body`) one API path; resolves to the parsed JSON. */
export async function api(path, { method = 'GET', body, tokenOverride } = {}) {
  const headers = { accept: 'application/json' };
  const bearer = tokenOverride ?? token();
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(API_BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, String(error), t('err.network'));
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: keep the status, show the start of the text.
  }
  if (response.ok) return json;
  const serverMessage = errorMessage(json) ?? (text.slice(0, 200) || response.statusText);
  throw new ApiError(response.status, serverMessage, explain(response.status, serverMessage));
}

/** The collector answers errors as {error: {code, message}}; accept {message} too. */
function errorMessage(json) {
  if (!json || typeof json !== 'object') return null;
  if (json.error && typeof json.error === 'object') return json.error.message ?? json.error.code ?? null;
  if (typeof json.error === 'string') return json.error;
  return json.message ?? null;
}

function explain(status, msg) {
  if ([400, 401, 403, 404, 409, 413].includes(status)) return t(`err.${status}`, { msg });
  if (status >= 500) return t('err.5xx', { msg });
  return t('err.other', { status, msg });
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
