import type { types } from '@slack/bolt';
import { t, type Locale } from '../i18n';
import { escapeInline } from './escape';

type KnownBlock = types.KnownBlock;

export const CHOICE_ACTIONS = { dm: 'sb_reply_by_dm', post: 'sb_reply_as_post' } as const;

/** Why X would not take the reply, in plain words, and the two other ways to send it (button values: the reply's id). */
export function replyChoiceBlocks(messageId: string, handle: string | undefined, canDm: boolean, locale: Locale = 'en'): { text: string; blocks: KnownBlock[] } {
  // as written: escaped where it goes into mrkdwn, raw in the button's plain_text
  const who = handle ? (handle.startsWith('@') ? handle : `@${handle}`) : t(locale, 'slack.reply.theCustomer');
  const text = t(locale, 'slack.reply.notAllowed', { who: escapeInline(who) });
  const buttons: types.Button[] = [];
  if (canDm) buttons.push({ type: 'button', action_id: CHOICE_ACTIONS.dm, text: { type: 'plain_text', text: t(locale, 'slack.reply.byDm') }, value: messageId });
  if (handle) buttons.push({ type: 'button', action_id: CHOICE_ACTIONS.post, text: { type: 'plain_text', text: t(locale, 'slack.reply.asPost', { who }).slice(0, 75) }, value: messageId });
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: `sb_reply_choice_${messageId}`, elements: buttons });
  return { text, blocks };
}

/** The choice once made: the buttons give way to who chose what. */
export function replyChosenBlocks(how: 'dm' | 'post', agentName: string, locale: Locale = 'en'): { text: string; blocks: KnownBlock[] } {
  const text = t(locale, how === 'dm' ? 'slack.reply.chosenDm' : 'slack.reply.chosenPost', { name: escapeInline(agentName) });
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
