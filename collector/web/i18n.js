// The page's language: Chinese by default (the first users are Chinese bureaus), English on
// request; the choice is kept in localStorage. t('key', {n: 3}) fills {n}.
import zh from './i18n/zh.js';
import en from './i18n/en.js';

const DICTIONARIES = { zh, en };
const LANG_KEY = 'tandem.lang';
const DEFAULT_LANG = 'zh';

let current = DICTIONARIES[localStorage.getItem(LANG_KEY)] ? localStorage.getItem(LANG_KEY) : DEFAULT_LANG;

export function lang() {
  return current;
}

export function setLang(next) {
  current = DICTIONARIES[next] ? next : DEFAULT_LANG;
  localStorage.setItem(LANG_KEY, current);
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
}

/** The text for `key` in the current language; an unknown key shows itself so it is noticed. */
export function t(key, params) {
  const text = DICTIONARIES[current][key] ?? DICTIONARIES[DEFAULT_LANG][key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? '')) : text;
}

/** The label of a code in a family (`model`, `astate`, `disp`, …), or the code itself when unnamed. */
export function label(family, code) {
  const key = `${family}.${code}`;
  return DICTIONARIES[current][key] ?? code;
}
