import type { Types } from 'mongoose';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { t, type Locale } from '../i18n';
import { escapeMrkdwn } from './escape';
import type { SlackNotifier } from './notify';
import { replyChoiceBlocks } from './reply-choice';

export type ReportOutcome = 'reported' | 'nothing' | 'busy';

const slackError = (err: unknown): string | undefined => (err as { data?: { error?: string } }).data?.error;

/**
 * Tells the agent's thread how a finished reply went: a reaction on their message and one line (the link, the
 * reason, or the choice of another way). Idempotent: the job that runs it retries with Slack's backoff.
 */
export function reportDelivery(messageId: Types.ObjectId | string, notifier: SlackNotifier): Promise<ReportOutcome> {
  return notifier.exclusively(`report:${String(messageId)}`, () => reportNow(messageId, notifier), 'busy');
}

async function reportNow(messageId: Types.ObjectId | string, notifier: SlackNotifier): Promise<ReportOutcome> {
  const message = await MessageModel.findById(messageId).lean();
  const delivery = message?.delivery;
  const { channel, ts } = message?.slack ?? {};
  if (!message || !delivery || (delivery.state !== 'sent' && delivery.state !== 'failed') || !channel || !ts) return 'nothing';
  const conversation = await ConversationModel.findById(message.conversationId, { kind: 1, customer: 1 }).lean();
  const refused = delivery.state === 'failed' && delivery.refusal === 'reply_not_allowed';
  const reaction = delivery.state === 'sent' ? 'white_check_mark' : refused ? undefined : 'x';
  if (reaction && !delivery.report?.reacted) {
    try {
      await notifier.react(channel, ts, reaction);
    } catch (err) {
      // the agent deleted their message: there is nothing to react to, the line still goes out
      if (slackError(err) !== 'message_not_found') throw err;
    }
    await MessageModel.updateOne({ _id: message._id }, { $set: { 'delivery.report.reacted': true } });
  }
  if (delivery.report?.lineTs) return 'reported';
  // the agent who wrote the reply reads the line: in their Slack language
  const locale = await notifier.localeFor(message.slack?.userId);
  const content = refused
    ? replyChoiceBlocks(String(message._id), conversation?.customer?.handle ?? undefined, Boolean(conversation?.customer?.id), locale)
    : { text: lineOf(delivery, conversation?.kind, locale) };
  const lineTs = await notifier.postOnceInThread(message.conversationId, `report:${String(message._id)}`, content, delivery.report?.lineStartedAt, (at) =>
    MessageModel.updateOne({ _id: message._id }, { $set: { 'delivery.report.lineStartedAt': at } }).then(() => undefined),
  );
  if (lineTs) await MessageModel.updateOne({ _id: message._id }, { $set: { 'delivery.report.lineTs': lineTs } });
  return 'reported';
}

type Delivery = { state: string; via?: string | null; sentUrl?: string | null; lastError?: string | null; gaveUp?: boolean | null; attempts?: number | null };

function lineOf(delivery: Delivery, kind: string | undefined, locale: Locale): string {
  if (delivery.state === 'failed') {
    const last = escapeMrkdwn(delivery.lastError ?? t(locale, 'slack.reply.unknownReason'));
    // the channel's own words stay as it wrote them; ours are in the reader's language
    const reason = delivery.gaveUp ? t(locale, 'slack.reply.gaveUp', { attempts: delivery.attempts ?? 0, reason: last }) : last;
    return t(locale, 'slack.reply.failed', { reason });
  }
  const via = delivery.via ?? (kind === 'dm' ? 'dm' : 'reply');
  const where = t(locale, via === 'dm' ? 'slack.reply.dm' : via === 'post' ? 'slack.reply.post' : 'slack.reply.reply');
  return delivery.sentUrl ? `${where}: ${delivery.sentUrl}` : `${where}.`;
}
