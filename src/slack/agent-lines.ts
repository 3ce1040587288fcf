import type { types } from '@slack/bolt';
import type { Types } from 'mongoose';
import { t, type Locale } from '../i18n';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { clip, escapeInline } from './escape';
import { SlackNotReadyError, type SlackNotifier } from './notify';
import { reportDelivery } from './reporter';

type Outcome = 'posted' | 'already' | 'no_channel' | 'busy';

const LEADS = {
  outbound: { inbox: 'slack.agent.reply.inbox', api: 'slack.agent.reply.api' },
  note: { inbox: 'slack.agent.note.inbox', api: 'slack.agent.note.api' },
} as const;

/** "Anna replied from the web inbox:" and the text as plain text (an agent's words, shown as written). */
export function agentLineBlocks(
  m: { direction: 'outbound' | 'note'; origin: 'inbox' | 'api'; author: string; text: string },
  locale: Locale,
): { text: string; blocks: types.KnownBlock[] } {
  const lead = t(locale, LEADS[m.direction][m.origin], { name: escapeInline(m.author) });
  return {
    text: `${lead} ${escapeInline(clip(m.text, 140))}`,
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: lead }] },
      { type: 'section', text: { type: 'plain_text', text: clip(m.text), emoji: false } },
    ],
  };
}

/**
 * A reply or note written in the web inbox or through the API, as one line in the card's thread, posted once (an
 * attempt whose outcome is unknown is looked up by its metadata). The line then stands for the reply in Slack: the
 * delivery report (✅/❌ and the link) goes under it.
 */
export function postAgentMessage(messageId: Types.ObjectId | string, notifier: SlackNotifier): Promise<Outcome> {
  return notifier.exclusively(`agent:${String(messageId)}`, () => postNow(messageId, notifier), 'busy');
}

async function postNow(messageId: Types.ObjectId | string, notifier: SlackNotifier): Promise<Outcome> {
  const message = await MessageModel.findById(messageId).lean();
  if (!message?.origin || message.slack?.ts || message.direction === 'inbound') return 'already';
  const conversation = await ConversationModel.findById(message.conversationId, { slack: 1, department: 1 }).lean();
  if (!conversation) return 'already';
  const channel = conversation.slack?.channel;
  if (!channel || !conversation.slack?.ts) {
    if (!notifier.canPost(conversation.department)) return 'no_channel';
    // the card is on its way (or being moved): the job retries
    throw new SlackNotReadyError(`conversation ${String(conversation._id)} has no Slack thread yet`);
  }
  const content = agentLineBlocks({ direction: message.direction, origin: message.origin, author: message.author?.name ?? '?', text: message.text }, notifier.locale);
  const ts = await notifier.postOnceInThread(message.conversationId, `agent:${String(message._id)}`, content, message.slackPostStartedAt, (at) =>
    MessageModel.updateOne({ _id: message._id }, { $set: { slackPostStartedAt: at } }).then(() => undefined),
  );
  if (!ts) return 'no_channel';
  await MessageModel.updateOne({ _id: message._id }, { $set: { slack: { channel, ts } } });
  // a reply that finished before its line was there: its report was skipped, it goes under the line now
  if (message.direction === 'outbound') await reportDelivery(message._id, notifier);
  return 'posted';
}
