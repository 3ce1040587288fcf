/* global document */
// A small hand-made SVG bar chart: a handful of bars per day needs no chart library or build step.
import { el, table } from './dom.js';
import { locale, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 1200;
const H = 240;
const M = { top: 12, right: 8, bottom: 30, left: 64 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** 1, 2 or 5 times a power of ten, never below `least` (whole conversations, whole minutes). */
function niceStep(raw, least) {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, least)));
  const f = Math.max(raw, least) / power;
  return Math.max(least, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power);
}

// the days are the viewer's calendar days (the API buckets them in the page's time zone): printed as dates, no shifting
const dayLabel = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function labelOf(day) {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayLabel.format(date);
}

/** Whether any value is worth a bar: a chart of nothing but zeros and gaps says less than one sentence. */
export function hasData(series) {
  return series.some((s) => s.values.some((v) => Number.isFinite(v) && v > 0));
}

/**
 * Grouped bars per day, and the same numbers as a table for screen readers (the SVG is hidden from them).
 * `series`: `[{ name, className, values: (number|null)[] }]` aligned with `days`; `format(value)` writes labels.
 */
export function barChart({ days, series, format = String, label, step: least = 1 }) {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const highest = Math.max(least, ...all);
  const step = niceStep(highest / 4, least);
  const top = step * Math.max(1, Math.ceil(highest / step));
  const y = (v) => M.top + plotH - (v / top) * plotH;

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'bar-chart', 'aria-hidden': 'true', focusable: 'false' });
  for (let i = 0; i * step <= top + 1e-9; i += 1) {
    const v = i * step;
    root.append(svg('line', { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: v === 0 ? 'axis' : 'grid' }));
    root.append(svg('text', { x: M.left - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, format(v)));
  }

  const groupW = plotW / Math.max(1, days.length);
  const barW = Math.max(2, Math.min(30, (groupW * 0.7) / series.length));
  const every = Math.ceil(days.length / 15);
  days.forEach((day, i) => {
    const x0 = M.left + i * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, j) => {
      const v = s.values[i];
      if (!Number.isFinite(v)) return;
      const rect = svg('rect', { x: x0 + j * barW, y: y(v), width: Math.max(1, barW - 1), height: Math.max(0, y(0) - y(v)), class: s.className, rx: 2 });
      rect.append(svg('title', {}, `${labelOf(day)} · ${s.name}: ${format(v)}`));
      root.append(rect);
    });
    if (i % every === 0) root.append(svg('text', { x: M.left + i * groupW + groupW / 2, y: H - 10, class: 'tick', 'text-anchor': 'middle' }, labelOf(day)));
  });

  const legend = el('ul', { className: 'legend', attrs: { 'aria-hidden': 'true' } }, series.map((s) => el('li', {}, [el('span', { className: `swatch ${s.className}` }), s.name])));
  const rows = days.map((day, i) => ({ day, values: series.map((s) => s.values[i]) }));
  const numbers = table(
    [{ label: t('dashboard.chart.day'), cell: (r) => labelOf(r.day) }, ...series.map((s, j) => ({ label: s.name, cell: (r) => (Number.isFinite(r.values[j]) ? format(r.values[j]) : '—') }))],
    rows,
    { className: 'visually-hidden chart-table', caption: label },
  );
  return el('figure', { className: 'chart-figure' }, [root, legend, numbers]);
}
