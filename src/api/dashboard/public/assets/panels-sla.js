// Departments' SLA figures, the per-day chart and the conversations about to breach.
import { apiGet } from './api.js';
import { barChart, hasData } from './chart.js';
import { chip, count, el, empty, link, minutes, percent, relative, table, when } from './dom.js';
import { t, tn } from './i18n.js';

const TARGETS = ['firstResponse', 'nextResponse', 'resolution'];
const targetName = (target) => (TARGETS.includes(target) ? t(`dashboard.target.${target}`) : target);

export function departmentName(ctx, key) {
  return ctx.departments.get(key) ?? (key === 'triage' ? t('dashboard.department.triage') : key);
}

/** The viewer's time zone: the per-day figures are bucketed in it. */
export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

function shareClass(share) {
  if (share === null || share === undefined) return '';
  return share >= 0.95 ? 'good' : share >= 0.8 ? 'warn' : 'bad';
}

function stat(key, label, value, { className = '', note = '' } = {}) {
  return el('div', { className: `stat ${key} ${className}`.trim() }, [
    el('dt', { text: label }),
    el('dd', { attrs: { 'data-figure': key } }, [el('span', { className: 'value', text: value }), note ? el('small', { text: note }) : null]),
  ]);
}

function tile(ctx, key, g) {
  const frt = g?.firstResponse;
  const within = g?.withinSla;
  const share = within?.total ? within.share : null;
  return el('article', { className: `tile ${g ? '' : 'quiet'}`.trim(), attrs: { 'data-department': key } }, [
    el('header', {}, [el('h3', { text: departmentName(ctx, key), title: departmentName(ctx, key) }), el('small', { text: g ? tn('dashboard.tiles.conversations', g.volume) : t('dashboard.tiles.none') })]),
    el('dl', { className: 'stats' }, [
      stat('backlog', t('dashboard.tiles.backlog'), count(g?.backlog ?? 0)),
      stat('breaches', t('dashboard.tiles.breaches'), count(g?.breaches ?? 0), { className: g?.breaches ? 'bad' : '' }),
      stat('withinSla', t('dashboard.tiles.withinSla'), percent(share), { className: shareClass(share), note: within?.total ? t('dashboard.tiles.withinSlaOf', { met: count(within.met), total: count(within.total) }) : '' }),
      stat('frt', t('dashboard.tiles.frt'), `${minutes(frt?.p50)} · ${minutes(frt?.p90)}`),
    ]),
  ]);
}

export const tiles = {
  name: 'tiles',
  fetch: (ctx) => apiGet('/api/reports/sla', { from: ctx.from.toISOString(), to: ctx.to.toISOString(), groupBy: 'department' }),
  render(body, { data }, ctx, meta) {
    const byKey = new Map(data.groups.map((g) => [g.key, g]));
    // busiest first, then the quiet departments by name
    const keys = [...new Set([...data.groups.map((g) => g.key), ...ctx.departments.keys()])].sort((a, b) => {
      const va = byKey.get(a)?.volume ?? -1;
      const vb = byKey.get(b)?.volume ?? -1;
      return vb - va || departmentName(ctx, a).localeCompare(departmentName(ctx, b));
    });
    meta.textContent = t('dashboard.tiles.meta', { from: when(data.from), to: when(data.to) });
    body.append(...keys.map((key) => tile(ctx, key, byKey.get(key))));
  },
};

export const chart = {
  name: 'chart',
  fetch: (ctx) => apiGet('/api/reports/sla/daily', { from: ctx.from.toISOString(), to: ctx.to.toISOString(), department: ctx.chartDepartment, tz: viewerZone() }),
  render(body, { data }, ctx, meta) {
    const where = ctx.chartDepartment ? departmentName(ctx, ctx.chartDepartment) : t('dashboard.chart.allDepartmentsMeta');
    meta.textContent = `${where} · ${t('dashboard.chart.daysIn', { zone: viewerZone() })}`;
    const frt = ctx.chartMetric === 'frt';
    const days = data.map((d) => d.date);
    const spec = frt
      ? { series: [{ name: t('dashboard.chart.series.frt'), className: 'frt', values: data.map((d) => d.firstResponseP50) }], format: minutes, label: t('dashboard.chart.label.frt') }
      : {
          series: [
            { name: t('dashboard.chart.series.volume'), className: 'volume', values: data.map((d) => d.volume) },
            { name: t('dashboard.chart.series.breaches'), className: 'breaches', values: data.map((d) => d.breaches) },
          ],
          format: (v) => count(v),
          label: t('dashboard.chart.label.volume'),
        };
    // no axis of "0 min / 1 min" over nothing: an empty window says so in words
    if (!hasData(spec.series)) return body.append(empty(t(frt ? 'dashboard.chart.empty.frt' : 'dashboard.chart.empty.volume')));
    body.append(barChart({ days, ...spec }));
  },
};

function customer(c) {
  return el('div', { className: 'customer' }, [el('span', { text: c?.name || c?.handle || t('dashboard.customer.unknown') }), c?.name && c?.handle ? el('small', { text: c.handle }) : null]);
}

const WATCH_LIMIT = 10;

function watchTable(ctx, rows, className) {
  const now = Date.now();
  return table(
    [
      {
        label: t('dashboard.atRisk.due'),
        className: 'due',
        cell: (r) =>
          el('div', { className: new Date(r.dueAt).getTime() < now ? 'overdue' : '' }, [
            el('strong', { text: relative(r.dueAt, now) }),
            el('small', { text: when(r.dueAt) }),
            Number.isFinite(r.elapsedShare)
              ? el('meter', { attrs: { min: 0, max: 1, low: 0.6, high: 0.8, optimum: 0, value: Math.min(1, r.elapsedShare), title: t('dashboard.atRisk.used', { share: percent(r.elapsedShare) }) } })
              : null,
          ]),
      },
      { label: t('dashboard.atRisk.target'), cell: (r) => chip(targetName(r.target), 'target') },
      { label: t('dashboard.atRisk.department'), cell: (r) => departmentName(ctx, r.department) },
      { label: t('dashboard.atRisk.customer'), className: 'who', cell: (r) => customer(r.customer) },
      // the customer's post opens where the channel has one; the row carries the conversation id
      { label: t('dashboard.atRisk.message'), className: 'preview', cell: (r) => (r.url ? link(r.url, r.preview || t('dashboard.feedback.noText')) : el('span', { text: r.preview })) },
    ],
    rows,
    { rowId: (r) => r.id, className },
  );
}

function watchList(ctx, key, title, list, none) {
  const more = list.total - list.items.length;
  return el('section', { className: `watch ${key}`, attrs: { 'data-list': key } }, [
    el('h3', { text: `${title} · ${count(list.total)}` }),
    list.items.length ? watchTable(ctx, list.items, key) : empty(none),
    more > 0 ? el('p', { className: 'more', text: t('dashboard.atRisk.more', { count: count(more) }) }) : null,
  ]);
}

// One row per conversation: its nearest running target. At risk = past the warning share, not yet due.
export const atRisk = {
  name: 'atRisk',
  fetch: () => apiGet('/api/conversations/at-risk', { limit: WATCH_LIMIT }),
  render(body, { data }, ctx, meta) {
    meta.textContent = t('dashboard.atRisk.meta', { atRisk: count(data.atRisk.total), breached: count(data.breached.total) });
    body.append(
      watchList(ctx, 'at-risk', t('dashboard.atRisk.atRisk'), data.atRisk, t('dashboard.atRisk.noneAtRisk')),
      watchList(ctx, 'breached', t('dashboard.atRisk.breached'), data.breached, t('dashboard.atRisk.noneBreached')),
    );
  },
};

export { customer };
