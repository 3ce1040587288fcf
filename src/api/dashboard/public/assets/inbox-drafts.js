// Replies held by a department's reply policy: their state, and for a token that may decide, Approve / Edit and approve / Reject.
import { el } from './dom.js';
import { t } from './i18n.js';

const STATES = ['pending', 'sent', 'rejected', 'discarded'];

function stateText(d) {
  if (!STATES.includes(d.state)) return d.state;
  return t(`dashboard.inbox.draft.state.${d.state}`, { reason: d.decision?.reason ?? '' });
}

/** One draft: its text, author and state; the decision controls only when the API said this token may decide it. */
export function draftItem(d) {
  const controls = d.mayDecide
    ? el('div', { className: 'draft-decide' }, [
        el('textarea', { className: 'draft-text', text: d.text, attrs: { rows: 2, maxlength: 10000, 'aria-label': t('dashboard.inbox.draft.edit') } }),
        el('input', { className: 'draft-reason', attrs: { type: 'text', maxlength: 500, placeholder: t('dashboard.inbox.draft.reason'), 'aria-label': t('dashboard.inbox.draft.reason') } }),
        el('div', { className: 'compose-row' }, [
          el('button', { className: 'draft-approve', text: t('dashboard.inbox.draft.approve'), attrs: { type: 'button', 'data-decide': 'approve' } }),
          el('button', { className: 'draft-edit plain', text: t('dashboard.inbox.draft.edit'), attrs: { type: 'button', 'data-decide': 'edit' } }),
          el('button', { className: 'draft-reject secondary', text: t('dashboard.inbox.draft.reject'), attrs: { type: 'button', 'data-decide': 'reject' } }),
        ]),
      ])
    : null;
  return el('li', { className: `draft ${d.state}`, attrs: { 'data-draft-id': d.id, 'data-state': d.state } }, [
    el('div', { className: 'head' }, [el('strong', { text: t('dashboard.inbox.draft.by', { name: d.author?.name || d.author?.id || '—' }) }), el('span', { className: 'draft-state', text: stateText(d) })]),
    el('p', { className: 'text', text: d.text }),
    controls,
    el('span', { className: 'status draft-status', attrs: { role: 'status', hidden: true } }),
  ]);
}

/** What the list shows, so a poll redraws it only when a draft was added or decided (a typed reason survives). */
export const draftsSignature = (drafts) => drafts.map((d) => `${d.id}:${d.state}:${d.mayDecide ? 1 : 0}`).join(',');

/** The API call a pressed button makes: its path suffix and body, or a text to show when something is missing. */
export function decisionOf(button) {
  const item = button.closest('li[data-draft-id]');
  const kind = button.dataset.decide;
  if (kind === 'approve') return { item, path: 'approve', body: {} };
  if (kind === 'edit') return { item, path: 'approve', body: { text: item.querySelector('.draft-text').value.trim() } };
  const reason = item.querySelector('.draft-reason').value.trim();
  if (!reason) return { item, problem: t('dashboard.inbox.draft.needReason') };
  return { item, path: 'reject', body: { reason } };
}
