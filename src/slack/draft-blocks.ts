import type { types } from '@slack/bolt';
import type { DraftCheck } from '../actions/drafts';
import { t, type Locale } from '../i18n';
import { clip, escapeInline } from './escape';

type KnownBlock = types.KnownBlock;

export const DRAFT_ACTIONS = {
  send: 'sb_draft_send', discard: 'sb_draft_discard', approve: 'sb_draft_approve', edit: 'sb_draft_edit', reject: 'sb_draft_reject',
} as const;
export const DRAFT_VIEWS = { reject: 'sb_draft_reject_view', edit: 'sb_draft_edit_view' } as const;
export const DRAFT_FIELDS = { reason: 'sb_draft_reason', text: 'sb_draft_text' } as const;

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const CHANNEL_NAMES: Record<string, string> = { x: 'X', webhook: 'Webhook', replay: 'Demo' };

/** The channel's verdict on the text: its length against the limit, and X's reply rule. */
function checkLines(check: DraftCheck, channel: string, locale: Locale): string[] {
  const name = CHANNEL_NAMES[channel] ?? escapeInline(channel);
  const vars = { length: check.length, limit: check.limit, channel: name };
  const lines = [t(locale, check.tooLong ? 'slack.draft.tooLong' : 'slack.draft.length', vars)];
  if (check.replyNotAllowed) lines.push(t(locale, 'slack.draft.replyNotAllowed'));
  return lines;
}

/** `confirm`: the author's private preview, with Send (only when the channel would take it) and Discard. */
export function previewBlocks(draftId: string, text: string, check: DraftCheck, channel: string, locale: Locale): { text: string; blocks: KnownBlock[] } {
  const buttons: types.Button[] = [];
  if (!check.tooLong) buttons.push({ type: 'button', action_id: DRAFT_ACTIONS.send, style: 'primary', text: plain(t(locale, 'slack.draft.send')), value: draftId });
  buttons.push({ type: 'button', action_id: DRAFT_ACTIONS.discard, text: plain(t(locale, 'slack.draft.discard')), value: draftId });
  return {
    text: t(locale, 'slack.draft.preview'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: t(locale, 'slack.draft.preview') } },
      { type: 'section', text: { type: 'plain_text', text: clip(text), emoji: false } },
      { type: 'context', elements: checkLines(check, channel, locale).map((line) => ({ type: 'mrkdwn' as const, text: line })) },
      { type: 'actions', block_id: `sb_draft_${draftId}`, elements: buttons },
    ],
  };
}

/** `approval`: the thread line an approver acts on. */
export function approvalBlocks(draftId: string, author: string, text: string, check: DraftCheck, channel: string, locale: Locale): { text: string; blocks: KnownBlock[] } {
  const lead = t(locale, 'slack.draft.awaiting', { name: escapeInline(author) });
  return {
    text: lead,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: lead } },
      { type: 'section', text: { type: 'plain_text', text: clip(text), emoji: false } },
      { type: 'context', elements: checkLines(check, channel, locale).map((line) => ({ type: 'mrkdwn' as const, text: line })) },
      {
        type: 'actions',
        block_id: `sb_draft_${draftId}`,
        elements: [
          { type: 'button', action_id: DRAFT_ACTIONS.approve, style: 'primary', text: plain(t(locale, 'slack.draft.approve')), value: draftId },
          { type: 'button', action_id: DRAFT_ACTIONS.edit, text: plain(t(locale, 'slack.draft.edit')), value: draftId },
          { type: 'button', action_id: DRAFT_ACTIONS.reject, style: 'danger', text: plain(t(locale, 'slack.draft.reject')), value: draftId },
        ],
      },
    ],
  };
}

export interface Decision {
  state: 'sent' | 'rejected' | 'discarded';
  author: string;
  by: string;
  reason?: string;
  edited?: boolean;
}

/** The thread line once decided: who decided, the reason of a rejection, the text as sent; no buttons. */
export function decidedBlocks(d: Decision, text: string, locale: Locale): { text: string; blocks: KnownBlock[] } {
  const vars = { author: escapeInline(d.author), name: escapeInline(d.by), reason: escapeInline(d.reason ?? '') };
  const lead = d.state === 'sent' ? t(locale, d.edited ? 'slack.draft.editedBy' : 'slack.draft.approvedBy', vars)
    : d.state === 'rejected' ? t(locale, 'slack.draft.rejectedBy', vars) : t(locale, 'slack.draft.discarded');
  return { text: lead, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: lead } }, { type: 'section', text: { type: 'plain_text', text: clip(text), emoji: false } }] };
}

/** The modal asking why (reject) or holding the text (edit and approve); `private_metadata` carries the draft id. */
export function draftModal(kind: 'reject' | 'edit', draftId: string, text: string, locale: Locale): types.ModalView {
  const reject = kind === 'reject';
  return {
    type: 'modal',
    callback_id: reject ? DRAFT_VIEWS.reject : DRAFT_VIEWS.edit,
    private_metadata: draftId,
    title: plain(t(locale, reject ? 'slack.draft.rejectTitle' : 'slack.draft.editTitle').slice(0, 24)),
    submit: plain(t(locale, reject ? 'slack.draft.rejectSubmit' : 'slack.draft.editSubmit')),
    close: plain(t(locale, 'slack.draft.cancel')),
    blocks: [
      {
        type: 'input',
        block_id: reject ? DRAFT_FIELDS.reason : DRAFT_FIELDS.text,
        label: plain(t(locale, reject ? 'slack.draft.rejectLabel' : 'slack.draft.editLabel')),
        element: {
          type: 'plain_text_input', action_id: 'value', multiline: true, max_length: reject ? 500 : 10_000,
          ...(reject ? {} : { initial_value: text }),
        },
      },
    ],
  };
}
