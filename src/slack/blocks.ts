import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;
import { TRIAGE } from '../domain/department';
import { t, type Locale } from '../i18n';
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
  /** in triage: the name of the department the model leaned to */
  guess?: string | null;
  /** the model's second-best department when it is close to the best (src/routing/runner-up.ts) */
  runnerUp?: { department: string; name: string; score: number } | null;
  firstResponseDueAt?: Date;
  status: string;
  assigneeName?: string | null;
  productFeedback: boolean;
  /** set when the conversation left this channel: the department's name and who moved it */
  /** `by` absent: it was moved while this card was being posted (src/slack/notify.ts) */
  movedTo?: { to: string; by?: string };
  /** false: no reply needed (with the detector's score); the SLA clock does not run */
  needsReply?: boolean;
  noReplyScore?: number | null;
  /** its sender is on the blocked list */
  blocked?: boolean;
  /** e-mail: the first message's Subject and attached files (listed, never forwarded) */
  subject?: string | null;
  attachments?: { name?: string | null; size?: number | null }[] | null;
}

export interface DepartmentOption {
  key: string;
  name: string;
}

export const ACTIONS = {
  assign: 'sb_assign_me', reassign: 'sb_reassign', moveToRunnerUp: 'sb_move_runner_up', resolve: 'sb_resolve', feedback: 'sb_feedback',
  noReply: 'sb_no_reply', needsReply: 'sb_needs_reply', block: 'sb_block_sender',
} as const;

const CHANNEL_NAMES: Record<string, string> = { x: 'X', mastodon: 'Mastodon', bluesky: 'Bluesky', email: 'E-mail', webhook: 'Webhook', replay: 'Demo' };

const KINDS = { mention: 'slack.kind.mention', dm: 'slack.kind.dm', post: 'slack.kind.post' } as const;
const kindName = (kind: string, locale: Locale) => (kind in KINDS ? t(locale, KINDS[kind as keyof typeof KINDS]) : escapeInline(kind));

function headline(card: ConversationCard, locale: Locale): string {
  // an e-mail is an e-mail: "E-mail DM" would say nothing more
  const where = card.channel === 'email' ? t(locale, 'slack.kind.email') : `${CHANNEL_NAMES[card.channel] ?? escapeInline(card.channel)} ${kindName(card.kind, locale)}`;
  const name = escapeInline(card.customer.name ?? '');
  const handle = card.customer.handle ? escapeInline(card.customer.handle) : '';
  const who = name && handle ? `${name} (${handle})` : name || handle || t(locale, 'slack.card.someone');
  return t(locale, 'slack.card.headline', { where, who: linkLabelled(card.customer.profileUrl, who) });
}

function routingLine(card: ConversationCard, locale: Locale): string {
  const parts = [card.department === TRIAGE ? t(locale, 'slack.card.triage') : `*${escapeInline(card.departmentName)}*`];
  if (card.guess) parts.push(t(locale, 'slack.card.guess', { name: escapeInline(card.guess) }));
  if (card.confidence !== undefined && card.confidence !== null) {
    parts.push(t(locale, card.method === 'manual' ? 'slack.card.confidentMoved' : 'slack.card.confident', { share: Math.round(card.confidence * 100) }));
  }
  if (card.terms?.length) parts.push(t(locale, 'slack.card.because', { terms: card.terms.map(escapeInline).join(', ') }));
  if (card.runnerUp) parts.push(t(locale, 'slack.card.runnerUp', { name: escapeInline(card.runnerUp.name), share: Math.round(card.runnerUp.score * 100) }));
  if (card.firstResponseDueAt) {
    const unix = Math.floor(card.firstResponseDueAt.getTime() / 1000);
    parts.push(t(locale, 'slack.card.due', { when: `<!date^${unix}^{date_short_pretty} {time}|${card.firstResponseDueAt.toISOString()}>` }));
  }
  if (card.url) parts.push(link(card.url, t(locale, 'slack.card.original')));
  return parts.join(' · ');
}

const size = (bytes: number): string => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** E-mail: the subject, and the attached files by name and size (Slack gets the list, not the files). */
function mailLines(card: ConversationCard, locale: Locale): KnownBlock[] {
  const lines: string[] = [];
  if (card.subject) lines.push(t(locale, 'slack.card.subject', { subject: escapeInline(clip(card.subject, 200)) }));
  const files = (card.attachments ?? []).slice(0, 20).map((a) => `${escapeInline(a.name || '?')} (${size(a.size ?? 0)})`);
  if (files.length) lines.push(t(locale, 'slack.card.attachments', { files: files.join(', ') }));
  return lines.map((text) => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] }));
}

function statusLine(card: ConversationCard, locale: Locale): string | undefined {
  const parts: string[] = [];
  const moved = card.movedTo;
  if (moved) parts.push(moved.by ? t(locale, 'slack.card.movedTo', { to: escapeInline(moved.to), by: escapeInline(moved.by) }) : t(locale, 'slack.card.movedAway', { to: escapeInline(moved.to) }));
  if (card.status === 'resolved') parts.push(t(locale, 'slack.card.resolved'));
  if (card.assigneeName) parts.push(t(locale, 'slack.card.assigned', { name: escapeInline(card.assigneeName) }));
  if (card.productFeedback) parts.push(t(locale, 'slack.card.feedback'));
  if (card.blocked) parts.push(t(locale, 'slack.card.blocked'));
  else if (card.needsReply === false) parts.push(t(locale, 'slack.card.noReply', { share: Math.round((card.noReplyScore ?? 1) * 100) }));
  return parts.length ? parts.join(' · ') : undefined;
}

function actions(card: ConversationCard, departments: DepartmentOption[], locale: Locale): KnownBlock {
  const options = departments
    .filter((d) => d.key !== card.department)
    .slice(0, 100)
    .map((d) => ({ text: { type: 'plain_text' as const, text: d.name.slice(0, 75) }, value: `${card.id}|${d.key}` }));
  return {
    type: 'actions',
    block_id: `sb_actions_${card.id}`,
    elements: [
      { type: 'button', action_id: ACTIONS.assign, text: { type: 'plain_text', text: t(locale, 'slack.card.assignMe') }, value: card.id },
      {
        type: 'static_select',
        action_id: ACTIONS.reassign,
        placeholder: { type: 'plain_text', text: t(locale, card.department === TRIAGE ? 'slack.card.route' : 'slack.card.reassign') },
        options,
      },
      ...runnerUpButton(card, locale),
      { type: 'button', action_id: ACTIONS.resolve, text: { type: 'plain_text', text: t(locale, 'slack.card.resolve') }, style: 'primary', value: card.id },
      { type: 'button', action_id: ACTIONS.feedback, text: { type: 'plain_text', text: t(locale, 'slack.card.markFeedback') }, value: card.id },
      ...screeningButtons(card, locale),
    ],
  };
}

/** "Move to Sales" beside the menu when the model's close second is another department (the reassign action's value). */
function runnerUpButton(card: ConversationCard, locale: Locale): types.Button[] {
  const second = card.runnerUp;
  // in triage the menu routes: a button for the second but none for the first would mislead
  if (!second || second.department === card.department || card.department === TRIAGE) return [];
  const text = t(locale, 'slack.card.moveTo', { name: second.name }).slice(0, 75);
  return [{ type: 'button', action_id: ACTIONS.moveToRunnerUp, text: { type: 'plain_text', text }, value: `${card.id}|${second.department}` }];
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** Flip "no reply needed", and block the sender (Slack's own confirm dialog first). */
function screeningButtons(card: ConversationCard, locale: Locale) {
  if (card.blocked) return [];
  const flip = card.needsReply === false
    ? { type: 'button' as const, action_id: ACTIONS.needsReply, text: plain(t(locale, 'slack.card.markNeedsReply')), value: card.id }
    : { type: 'button' as const, action_id: ACTIONS.noReply, text: plain(t(locale, 'slack.card.markNoReply')), value: card.id };
  const confirm = {
    title: plain(t(locale, 'slack.card.blockConfirmTitle')), text: plain(t(locale, 'slack.card.blockConfirmText')),
    confirm: plain(t(locale, 'slack.card.blockConfirm')), deny: plain(t(locale, 'slack.card.blockCancel')), style: 'danger' as const,
  };
  return [flip, { type: 'button' as const, action_id: ACTIONS.block, text: plain(t(locale, 'slack.card.block')), style: 'danger' as const, value: card.id, confirm }];
}

/** The card a department sees, in `locale`: the customer's words as plain text, so nothing in them is executed. */
export function conversationBlocks(card: ConversationCard, departments: DepartmentOption[], locale: Locale = 'en'): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: headline(card, locale) } },
    { type: 'section', text: { type: 'plain_text', text: clip(card.text), emoji: false } },
    ...mailLines(card, locale),
    { type: 'context', elements: [{ type: 'mrkdwn', text: routingLine(card, locale) }] },
  ];
  const status = statusLine(card, locale);
  if (status) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: status }] });
  if (!card.movedTo && card.status !== 'resolved') blocks.push(actions(card, departments, locale));
  const who = escapeInline(card.customer.handle ?? card.customer.name ?? t(locale, 'slack.card.aCustomer'));
  return { text: t(locale, 'slack.card.notification', { who }), blocks };
}

/** A later customer message, posted in the conversation's thread. */
export function followUpBlocks(text: string, customer: string, locale: Locale = 'en'): { text: string; blocks: KnownBlock[] } {
  return {
    text: t(locale, 'slack.followUp', { who: escapeInline(customer) }),
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: t(locale, 'slack.followUp.lead', { who: escapeInline(customer) }) }] },
      { type: 'section', text: { type: 'plain_text', text: clip(text), emoji: false } },
    ],
  };
}
