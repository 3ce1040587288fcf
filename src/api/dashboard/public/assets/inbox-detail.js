// One conversation: its messages with delivery states, the routing explanation, activity, and the agent's actions.
import { chip, el, percent, when } from './dom.js';

const DELIVERY = { queued: 'Queued', sending: 'Sending…', sent: 'Sent', failed: 'Not sent' };
const ACTIVITY = {
  assigned: 'assigned it', unassigned: 'unassigned it', reassigned: 'moved it', resolved: 'resolved it', waiting: 'set it waiting on the customer',
  reopened: 'reopened it', feedback: 'marked it as product feedback', replied: 'replied', note: 'added a note',
  'reply-needed': 'said it needs a reply', 'no-reply': 'said it needs no reply', blocked: 'blocked the sender',
};

export const nameOf = (departments, key) => departments.get(key) ?? key;

export function customerName(c) {
  return c?.name || c?.handle || c?.id || 'Unknown customer';
}

export function routingLine(c, departments) {
  const r = c.routing ?? {};
  const how = r.method === 'manual' ? 'Moved by a person' : r.method === 'rule' ? 'Routed by a rule' : r.method === 'triage' ? 'The model was unsure' : 'Routed by the model';
  const guess = r.label ? ` · model's choice ${nameOf(departments, r.label)} (${percent(r.confidence)} confident)` : '';
  return el('span', {}, [`${how}${guess}`, ...(Array.isArray(r.terms) && r.terms.length ? [' · because of ', ...r.terms.slice(0, 5).map((t) => chip(t, 'term'))] : [])]);
}

function deliveryOf(m) {
  const d = m.delivery;
  if (!d) return null;
  const text = d.state === 'failed' && d.lastError ? `${DELIVERY.failed}: ${d.lastError}` : DELIVERY[d.state] ?? d.state;
  return el('span', { className: `delivery ${d.state}`, text, attrs: { 'data-delivery': d.state } });
}

export function messageItem(m) {
  const who = m.direction === 'inbound' ? customerName(m.author) : m.author?.name ?? 'agent';
  const kind = m.direction === 'note' ? 'Note' : m.direction === 'outbound' ? 'Reply' : 'Customer';
  return el('li', { className: m.direction, attrs: { 'data-id': m.id, 'data-direction': m.direction } }, [
    el('div', { className: 'head' }, [el('strong', { text: who }), el('span', { text: kind }), el('span', { text: when(m.sentAt) }), deliveryOf(m)]),
    el('p', { className: 'text', text: m.text }),
  ]);
}

export function activityItem(a, departments) {
  const to = a.type === 'reassigned' && a.details?.to ? ` to ${nameOf(departments, a.details.to)}` : '';
  const name = a.type === 'assigned' && a.details?.name ? ` to ${a.details.name}` : '';
  return el('li', { attrs: { 'data-type': a.type } }, [`${when(a.at)} · ${a.actor.replace(/^(token|slack):/, '')} ${ACTIVITY[a.type] ?? a.type}${to}${name}`]);
}

export function queueItem(c, departments, current) {
  const assignee = c.assignee?.name ? ` · ${c.assignee.name}` : '';
  return el('li', {}, [
    el('button', { attrs: { type: 'button', 'data-id': c.id, 'aria-current': c.id === current ? 'true' : 'false' } }, [
      el('span', { className: 'who', text: customerName(c.customer) }),
      el('span', { className: 'preview', text: c.preview }),
      el('small', {}, [el('span', { text: nameOf(departments, c.department) }), el('span', { text: `${c.status}${assignee}` }), el('span', { text: when(c.lastMessageAt) })]),
    ]),
  ]);
}
