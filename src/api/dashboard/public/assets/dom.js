/* global document, URL */
// Every piece of data reaches the page through textContent or a checked attribute: never innerHTML.
import { locale, t } from './i18n.js';

/**
 * Builds an element. `props.text` becomes textContent; `props.attrs` are set with setAttribute
 * (event-handler attributes are refused); children are nodes, strings (as text) or null.
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined && props.text !== null) node.textContent = String(props.text);
  if (props.title) node.title = String(props.title);
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (/^on/i.test(name) || name.toLowerCase() === 'style') throw new Error(`refusing attribute ${name}`);
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** Only http(s) links leave the page: a `javascript:` URL from a customer post is shown as text. */
export function safeUrl(raw) {
  if (typeof raw !== 'string' || raw === '') return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export function link(url, text) {
  const href = safeUrl(url);
  if (!href) return el('span', { text });
  return el('a', { text, attrs: { href, target: '_blank', rel: 'noopener noreferrer' } });
}

/** Business minutes as "14 min", "2 h 05 min", "3 d 4 h"; null as a dash. */
export function minutes(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const [min, hours, days] = [t('dashboard.unit.min'), t('dashboard.unit.h'), t('dashboard.unit.d')];
  const m = Math.round(value);
  if (m < 60) return `${m} ${min}`;
  if (m < 24 * 60) return m % 60 ? `${Math.floor(m / 60)} ${hours} ${String(m % 60).padStart(2, '0')} ${min}` : `${m / 60} ${hours}`;
  const d = Math.floor(m / (24 * 60));
  const h = Math.round((m % (24 * 60)) / 60);
  return h ? `${d} ${days} ${h} ${hours}` : `${d} ${days}`;
}

export function percent(share) {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(locale, { style: 'percent' }).format(Math.round(share * 100) / 100);
}

export function count(value) {
  return Number.isFinite(value) ? new Intl.NumberFormat(locale).format(value) : '—';
}

const dateTime = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

/** "in 12 min", "5 min ago" (wall-clock, for due times and arrivals). */
export function relative(iso, now = Date.now()) {
  const diff = (new Date(iso).getTime() - now) / 60000;
  if (!Number.isFinite(diff)) return '—';
  const span = minutes(Math.abs(diff));
  if (Math.abs(diff) < 1) return t('dashboard.time.now');
  return t(diff > 0 ? 'dashboard.time.in' : 'dashboard.time.ago', { span });
}

/**
 * A table from column definitions `{ label, cell(row) → node|string, className? }`; `rowId(row)` becomes data-id.
 * Each cell carries its column's label: on a narrow screen the rows stack and the label leads each cell.
 */
export function table(columns, rows, options = {}) {
  const head = el('tr', {}, columns.map((c) => el('th', { text: c.label, className: c.className, attrs: { scope: 'col' } })));
  const body = rows.map((row) => {
    const tr = el('tr', {}, columns.map((c) => el('td', { className: c.className, attrs: { 'data-label': c.label } }, [c.cell(row)])));
    if (options.rowId) tr.dataset.id = String(options.rowId(row));
    return tr;
  });
  const caption = options.caption ? el('caption', { text: options.caption, className: options.captionClass }) : null;
  return el('table', { className: options.className }, [caption, el('thead', {}, [head]), el('tbody', {}, body)]);
}

export function empty(text) {
  return el('p', { className: 'empty', text });
}

export function chip(text, className = '') {
  return el('span', { className: `chip ${className}`.trim(), text });
}
