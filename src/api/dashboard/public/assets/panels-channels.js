// Connected accounts: each timeline's health (last success, last error, pause) and this month's X spend against the budget.
import { apiGet } from './api.js';
import { chip, el, empty, percent, relative, table, when } from './dom.js';

const usd = (n) => (Number.isFinite(n) ? `$${n.toFixed(2)}` : '—');

function spendText(spend) {
  if (!spend) return '—';
  const share = Number.isFinite(spend.budgetUsd) && spend.budgetUsd > 0 ? ` · ${percent(spend.spentUsd / spend.budgetUsd)}` : '';
  return `${usd(spend.spentUsd)} of ${spend.budgetUsd === null ? 'no budget' : usd(spend.budgetUsd)}${share}`;
}

function health(t) {
  if (t.status === 'failing') return chip('stopped', 'bad');
  if (t.pausedUntil && new Date(t.pausedUntil).getTime() > Date.now()) return chip(`paused until ${when(t.pausedUntil)}`, 'warn');
  return chip(t.lastSuccessAt ? 'ok' : 'not polled yet', t.lastSuccessAt ? 'good' : '');
}

function problem(t) {
  if (!t.lastError && !t.pauseReason) return el('span', { text: '—' });
  return el('div', {}, [
    t.pauseReason ? el('strong', { text: t.pauseReason }) : null,
    t.lastError && t.lastError !== t.pauseReason ? el('small', { text: `${t.lastError} (${relative(t.lastErrorAt)})` }) : null,
  ]);
}

export const channels = {
  name: 'channels',
  fetch: () => apiGet('/api/channels'),
  render(body, { data }, _ctx, meta) {
    meta.textContent = data.length ? `${data.length} connected` : '';
    if (data.length === 0) return body.append(empty('No channel account is connected.'));
    const rows = data.flatMap((a) => a.timelines.map((t, i) => ({ a, t, first: i === 0 })));
    body.append(
      table(
        [
          { label: 'Account', className: 'who', cell: (r) => (r.first ? el('div', {}, [el('strong', { text: `${r.a.channel} · ${r.a.account}` }), r.a.statusReason ? el('small', { text: r.a.statusReason }) : null]) : '') },
          { label: 'Timeline', cell: (r) => el('span', { text: r.t.name }) },
          { label: 'State', cell: (r) => health(r.t) },
          { label: 'Last success', className: 'due', cell: (r) => el('span', { text: r.t.lastSuccessAt ? relative(r.t.lastSuccessAt) : '—' }) },
          { label: 'Problem', className: 'preview', cell: (r) => problem(r.t) },
          { label: 'Spend this month', cell: (r) => (r.first ? el('span', { text: spendText(r.a.spend) }) : '') },
        ],
        rows,
        { rowId: (r) => `${r.a.channel}:${r.a.account}:${r.t.name}`, className: 'channels' },
      ),
    );
  },
};
