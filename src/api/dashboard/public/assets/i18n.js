/* global document, fetch, navigator */
// The page's texts (src/i18n, served as /dashboard/i18n.json): the browser's first language we have, else DEFAULT_LOCALE.

async function load() {
  try {
    const res = await fetch('/dashboard/i18n.json', { credentials: 'omit' });
    if (res.ok) return await res.json();
  } catch {
    // the labels stay as the HTML has them (English)
  }
  return { defaultLocale: 'en', catalogues: { en: {} } };
}

const { defaultLocale, catalogues } = await load();

function choose() {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = String(tag).toLowerCase().split(/[-_]/)[0];
    if (catalogues[base]) return base;
  }
  return catalogues[defaultLocale] ? defaultLocale : 'en';
}

export const locale = choose();
const texts = catalogues[locale] ?? {};
const plural = new Intl.PluralRules(locale);

/** The text for `key`, `{name}` filled from `vars`; the key itself when the catalogue lacks it. */
export function t(key, vars = {}) {
  const template = texts[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** `${base}.one` or `${base}.other` by the language's plural rule, with `{count}` filled (formatted). */
export function tn(base, count, vars = {}) {
  return t(`${base}.${plural.select(count) === 'one' ? 'one' : 'other'}`, { count: new Intl.NumberFormat(locale).format(count), ...vars });
}

/** Fills every `data-i18n` element's text (the page's `<title>` too) and its `data-i18n-placeholder` / `-label` (aria-label) attributes. */
export function translatePage(root = document) {
  document.documentElement.lang = locale;
  // a key the catalogue lacks (i18n.json did not load) keeps the HTML's English
  const known = (key) => key in texts;
  for (const node of root.querySelectorAll('[data-i18n]')) if (known(node.dataset.i18n)) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-placeholder]')) if (known(node.dataset.i18nPlaceholder)) node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  for (const node of root.querySelectorAll('[data-i18n-label]')) if (known(node.dataset.i18nLabel)) node.setAttribute('aria-label', t(node.dataset.i18nLabel));
}
