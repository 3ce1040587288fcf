// Connected accounts: each timeline's health (last success, last error, pause) and this month's X spend against the budget.
import { apiGet } from './api.js';
import { chip, count, el, empty, percent, relative, table, when } from './dom.js';
import { t } from './i18n.js';

const usd = (n) => (Number.isFinite(n) ? `$${n.toFixed(2)}` : '—');

function spendText(spend) {
  if (!spend) return '—';
  const share = Number.isFinite(spend.budgetUsd) && spend.budgetUsd > 0 ? ` · ${percent(spend.spentUsd / spend.budgetUsd)}` : '';
  return `${t('dashboard.channels.spendOf', { spent: usd(spend.spentUsd), budget: spend.budgetUsd === null ? t('dashboard.channels.noBudget') : usd(spend.budgetUsd) })}${share}`;
}

function health(tl) {
  if (tl.status === 'failing') return chip(t('dashboard.channels.stopped'), 'bad');
  if (tl.pausedUntil && new Date(tl.pausedUntil).getTime() > Date.now()) return chip(t('dashboard.channels.pausedUntil', { time: when(tl.pausedUntil) }), 'warn');
  return chip(t(tl.lastSuccessAt ? 'dashboard.channels.ok' : 'dashboard.channels.notPolled'), tl.lastSuccessAt ? 'good' : '');
}

function problem(tl) {
  if (!tl.lastError && !tl.pauseReason) return el('span', { text: '—' });
  return el('div', {}, [
    tl.pauseReason ? el('strong', { text: tl.pauseReason }) : null,
    tl.lastError && tl.lastError !== tl.pauseReason ? el('small', { text: `${tl.lastError} (${relative(tl.lastErrorAt)})` }) : null,
  ]);
}

export const channels = {
  name: 'channels',
  fetch: () => apiGet('/api/channels'),
  render(body, { data }, _ctx, meta) {
    meta.textContent = data.length ? t('dashboard.channels.connected', { count: count(data.length) }) : '';
    if (data.length === 0) return body.append(empty(t('dashboard.channels.none')));
    const rows = data.flatMap((a) => a.timelines.map((tl, i) => ({ a, t: tl, first: i === 0 })));
    body.append(
      table(
        [
          { label: t('dashboard.channels.account'), className: 'who', cell: (r) => (r.first ? el('div', {}, [el('strong', { text: `${r.a.channel} · ${r.a.account}` }), r.a.statusReason ? el('small', { text: r.a.statusReason }) : null]) : '') },
          { label: t('dashboard.channels.timeline'), cell: (r) => el('span', { text: r.t.name }) },
          { label: t('dashboard.channels.state'), cell: (r) => health(r.t) },
          { label: t('dashboard.channels.lastSuccess'), className: 'due', cell: (r) => el('span', { text: r.t.lastSuccessAt ? relative(r.t.lastSuccessAt) : '—' }) },
          { label: t('dashboard.channels.problem'), className: 'preview', cell: (r) => problem(r.t) },
          { label: t('dashboard.channels.spend'), cell: (r) => (r.first ? el('span', { text: spendText(r.a.spend) }) : '') },
        ],
        rows,
        { rowId: (r) => `${r.a.channel}:${r.a.account}:${r.t.name}`, className: 'channels' },
      ),
    );
  },
};
