import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { TRIAGE } from '../domain/department';
import { clip, escapeInline, link, linkLabelled } from './escape';

export interface ConversationCard {
  id: string;
  channel: string;
  kind: string;
  customer: { name?: string | null; handle?: string | null; profileUrl?: string | null };
  text: string;
  url?: string | null;
  department: string;
  departmentName: string;
  confidence?: number | null;
  terms?: string[] | null;
  method: string;
  firstResponseDueAt?: Date;
  status: string;
  assigneeName?: string | null;
  productFeedback: boolean;
  /** set when the conversation left this channel */
  movedTo?: string;
}

export interface DepartmentOption {
  key: string;
  name: string;
}

export const ACTIONS = { assign: 'sb_assign_me', reassign: 'sb_reassign', resolve: 'sb_resolve', feedback: 'sb_feedback' } as const;

const CHANNEL_NAMES: Record<string, string> = { x: 'X', webhook: 'Webhook', replay: 'Demo' };

function headline(card: ConversationCard): string {
  const where = `${CHANNEL_NAMES[card.channel] ?? escapeInline(card.channel)} ${card.kind === 'dm' ? 'DM' : card.kind}`;
  const name = escapeInline(card.customer.name ?? '');
  const who = card.customer.handle ? `${name} (${escapeInline(card.customer.handle)})`.trim() : name || 'someone';
  return `*${where}* from ${linkLabelled(card.customer.profileUrl, who)}`;
}

function routingLine(card: ConversationCard): string {
  const parts = [card.department === TRIAGE ? '*Triage*: the model is unsure' : `*${escapeInline(card.departmentName)}*`];
  if (card.confidence !== undefined && card.confidence !== null) parts.push(`${Math.round(card.confidence * 100)}% ${card.method === 'manual' ? '(model; moved by a person)' : 'confident'}`);
  if (card.terms?.length) parts.push(`because of: ${card.terms.map(escapeInline).join(', ')}`);
  if (card.firstResponseDueAt) {
    const unix = Math.floor(card.firstResponseDueAt.getTime() / 1000);
    parts.push(`first response due <!date^${unix}^{date_short_pretty} {time}|${card.firstResponseDueAt.toISOString()}>`);
  }
  if (card.url) parts.push(link(card.url, 'original'));
  return parts.join(' · ');
}

function statusLine(card: ConversationCard): string | undefined {
  const parts: string[] = [];
  if (card.movedTo) parts.push(`Moved to ${escapeInline(card.movedTo)}`);
  if (card.status === 'resolved') parts.push('Resolved');
  if (card.assigneeName) parts.push(`Assigned to ${escapeInline(card.assigneeName)}`);
  if (card.productFeedback) parts.push('Marked as product feedback');
  return parts.length ? parts.join(' · ') : undefined;
}

function actions(card: ConversationCard, departments: DepartmentOption[]): KnownBlock {
  const options = departments
    .filter((d) => d.key !== card.department)
    .slice(0, 100)
    .map((d) => ({ text: { type: 'plain_text' as const, text: d.name.slice(0, 75) }, value: `${card.id}|${d.key}` }));
  return {
    type: 'actions',
    block_id: `sb_actions_${card.id}`,
    elements: [
      { type: 'button', action_id: ACTIONS.assign, text: { type: 'plain_text', text: 'Assign to me' }, value: card.id },
      {
        type: 'static_select',
        action_id: ACTIONS.reassign,
        placeholder: { type: 'plain_text', text: card.department === TRIAGE ? 'Route to department' : 'Reassign' },
        options,
      },
      { type: 'button', action_id: ACTIONS.resolve, text: { type: 'plain_text', text: 'Resolve' }, style: 'primary', value: card.id },
      { type: 'button', action_id: ACTIONS.feedback, text: { type: 'plain_text', text: 'Mark as product feedback' }, value: card.id },
    ],
  };
}

/** The card a department sees: the customer's words as plain text, so nothing in them is executed. */
export function conversationBlocks(card: ConversationCard, departments: DepartmentOption[]): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: headline(card) } },
    { type: 'section', text: { type: 'plain_text', text: clip(card.text), emoji: false } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: routingLine(card) }] },
  ];
  const status = statusLine(card);
  if (status) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: status }] });
  if (!card.movedTo && card.status !== 'resolved') blocks.push(actions(card, departments));
  const who = escapeInline(card.customer.handle ?? card.customer.name ?? 'a customer');
  return { text: `New conversation from ${who}`, blocks };
}

/** A later customer message, posted in the conversation's thread. */
export function followUpBlocks(text: string, customer: string): { text: string; blocks: KnownBlock[] } {
  return {
    text: `${escapeInline(customer)} wrote again`,
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${escapeInline(customer)} wrote again:` }] },
      { type: 'section', text: { type: 'plain_text', text: clip(text), emoji: false } },
    ],
  };
}
