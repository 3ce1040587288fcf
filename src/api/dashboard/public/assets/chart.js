/* global document */
// A small hand-made SVG bar chart: a handful of bars per day needs no chart library or build step.
import { el } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 1200;
const H = 240;
const M = { top: 12, right: 8, bottom: 30, left: 48 };

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function niceStep(raw) {
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function labelOf(day) {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayLabel.format(date);
}

/**
 * Grouped bars per day. `series`: `[{ name, className, values: (number|null)[] }]` aligned with `days`;
 * `format(value)` writes axis labels and tooltips.
 */
export function barChart({ days, series, format = String, label }) {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const step = niceStep(Math.max(1, ...all) / 4);
  const top = step * Math.max(1, Math.ceil(Math.max(1, ...all) / step));
  const y = (v) => M.top + plotH - (v / top) * plotH;

  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label, class: 'bar-chart' });
  for (let v = 0; v <= top + 1e-9; v += step) {
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

  const legend = el('ul', { className: 'legend' }, series.map((s) => el('li', {}, [el('span', { className: `swatch ${s.className}`, attrs: { 'aria-hidden': 'true' } }), s.name])));
  return el('figure', { className: 'chart-figure' }, [root, legend]);
}
