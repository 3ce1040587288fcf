// One conversation: its messages with delivery states, the routing explanation, activity, and the agent's actions.
import { chip, el, percent, when } from './dom.js';
import { t } from './i18n.js';

const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed'];
const ACTIVITY_TYPES = ['assigned', 'unassigned', 'reassigned', 'resolved', 'waiting', 'reopened', 'feedback', 'replied', 'note', 'reply-needed', 'no-reply', 'blocked', 'draft', 'draft-approved', 'draft-rejected', 'draft-sent', 'draft-discarded', 'refused'];
const STATUSES = ['open', 'waiting', 'resolved'];
const METHODS = ['manual', 'rule', 'triage', 'model'];

export const nameOf = (departments, key) => departments.get(key) ?? key;

/** A status, channel or kind in the reader's language; an unknown value as it came. */
export const statusName = (status) => (STATUSES.includes(status) ? t(`dashboard.inbox.status.${status}`) : status);
const known = (prefix, value) => {
  const text = t(`${prefix}.${value}`);
  return text === `${prefix}.${value}` ? value : text;
};
export const channelName = (channel, kind) => `${known('dashboard.channel', channel)} ${known('dashboard.kind', kind)}`;

export function customerName(c) {
  return c?.name || c?.handle || c?.id || t('dashboard.inbox.unknownCustomer');
}

/** How it got here, the model's choice and words, and a close second with a button that moves it there. */
export function routingLine(c, departments) {
  const r = c.routing ?? {};
  const how = t(`dashboard.inbox.routing.${METHODS.includes(r.method) ? r.method : 'model'}`);
  const guess = r.label ? t('dashboard.inbox.routing.guess', { name: nameOf(departments, r.label), share: percent(r.confidence) }) : '';
  const terms = Array.isArray(r.terms) && r.terms.length ? [t('dashboard.inbox.routing.because'), ...r.terms.slice(0, 5).map((term) => chip(term, 'term'))] : [];
  const second = r.runnerUp;
  const runnerUp = second
    ? [
        el('span', { className: 'runner-up', attrs: { 'data-runner-up': second.department } }, [t('dashboard.inbox.routing.runnerUp', { name: nameOf(departments, second.department), share: percent(second.score) })]),
        second.department !== c.department ? ' ' : null,
        second.department !== c.department
          ? el('button', { className: 'plain', text: t('dashboard.inbox.routing.moveThere', { name: nameOf(departments, second.department) }), attrs: { type: 'button', id: 'move-runner-up', 'data-department': second.department } })
          : null,
      ]
    : [];
  return el('span', {}, [`${how}${guess}`, ...terms, ...runnerUp]);
}

function deliveryOf(m) {
  const d = m.delivery;
  if (!d) return null;
  const state = DELIVERY_STATES.includes(d.state) ? t(`dashboard.inbox.delivery.${d.state}`) : d.state;
  const reason = d.gaveUp ? t('dashboard.inbox.delivery.gaveUp', { attempts: d.attempts, reason: d.lastError }) : d.lastError;
  const text = d.state === 'failed' && d.lastError ? t('dashboard.inbox.delivery.failedBecause', { reason }) : state;
  return el('span', { className: `delivery ${d.state}`, text, attrs: { 'data-delivery': d.state } });
}

export function messageItem(m) {
  const who = m.direction === 'inbound' ? customerName(m.author) : m.author?.name ?? t('dashboard.inbox.agent');
  return el('li', { className: m.direction, attrs: { 'data-id': m.id, 'data-direction': m.direction } }, [
    el('div', { className: 'head' }, [el('strong', { text: who }), el('span', { text: t(`dashboard.inbox.from.${m.direction === 'note' || m.direction === 'outbound' ? m.direction : 'inbound'}`) }), el('span', { text: when(m.sentAt) }), deliveryOf(m)]),
    el('p', { className: 'text', text: m.text }),
  ]);
}

export function activityItem(a, departments) {
  const vars = { actor: a.actor.replace(/^(token|slack):/, ''), to: nameOf(departments, a.details?.to ?? '—'), name: a.details?.name ?? '—', type: a.type };
  const what = t(`dashboard.inbox.act.${ACTIVITY_TYPES.includes(a.type) ? a.type : 'other'}`, vars);
  return el('li', { attrs: { 'data-type': a.type } }, [`${when(a.at)} · ${what}`]);
}

const SURFACES = ['slack', 'api', 'cli', 'inbox', 'system'];
const shown = (value) => (value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value));

/** One audit record of the conversation: what, who and where, and each changed field before → after. */
export function historyItem(r, departments) {
  const type = r.action.startsWith('conversation.') ? r.action.slice('conversation.'.length) : r.action;
  const what = activityItem({ actor: r.actor, type, details: r.details, at: r.at }, departments).textContent;
  const where = SURFACES.includes(r.surface) ? t(`dashboard.inbox.history.surface.${r.surface}`) : r.surface;
  const changes = Object.keys(r.after ?? {}).map((field) => t('dashboard.inbox.history.change', { field, before: shown(r.before?.[field]), after: shown(r.after[field]) }));
  return el('li', { attrs: { 'data-action': r.action, 'data-surface': r.surface } }, [`${what} · ${where}`, ...changes.map((c) => el('small', { text: ` · ${c}` }))]);
}

export function queueItem(c, departments, current) {
  const assignee = c.assignee?.name ? ` · ${c.assignee.name}` : '';
  return el('li', {}, [
    el('button', { attrs: { type: 'button', 'data-id': c.id, 'aria-current': c.id === current ? 'true' : 'false' } }, [
      el('span', { className: 'who', text: customerName(c.customer) }),
      el('span', { className: 'preview', text: c.preview }),
      el('small', {}, [el('span', { text: nameOf(departments, c.department) }), el('span', { text: `${statusName(c.status)}${assignee}` }), el('span', { text: when(c.lastMessageAt) })]),
    ]),
  ]);
}
