import { Types } from 'mongoose';
import type { MessageKind } from '../domain/message';
import { insertOnce } from '../store/connection';
import { messageIdFor } from '../store/ids';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';

export interface AgentMessage {
  conversation: { _id: Types.ObjectId; channel: string; account: string; kind: MessageKind };
  text: string;
  /** the agent's Slack message: its id makes a redelivered Slack event a duplicate */
  slack: { channel: string; ts: string; userId: string };
  authorName: string;
}

/**
 * Stores an agent's thread message as a queued reply, or as an internal note when it starts with
 * the note prefix. Returns null when this Slack message was stored before (a retried event).
 */
export async function recordAgentMessage(m: AgentMessage, notePrefix: string): Promise<{ id: Types.ObjectId; note: boolean } | null> {
  const note = m.text.trimStart().toLowerCase().startsWith(notePrefix.toLowerCase());
  const externalId = `slack:${m.slack.channel}:${m.slack.ts}`;
  const id = messageIdFor({ channel: m.conversation.channel, account: m.conversation.account, externalId });
  const stored = await insertOnce(() =>
    MessageModel.create({
      _id: id,
      channel: m.conversation.channel,
      account: m.conversation.account,
      externalId,
      conversationId: m.conversation._id,
      direction: note ? 'note' : 'outbound',
      kind: m.conversation.kind,
      author: { id: m.slack.userId, name: m.authorName },
      text: note ? m.text.trimStart().slice(notePrefix.length).trim() || m.text : m.text.trim(),
      sentAt: new Date(),
      slack: m.slack,
      delivery: note ? undefined : { state: 'queued', attempts: 0 },
    }),
  );
  if (!stored) return null; // a retried Slack event
  return { id, note };
}

export type OtherWay = 'dm' | 'post';

/**
 * After the channel refused a reply as a reply, the agent's choice of another way: a copy of it queued as a DM or
 * as a new post that starts with the customer's handle. One per refused reply, whichever button and however often
 * pressed (its id derives from the refused one). Null when nothing is offered for this reply or it was chosen before.
 */
export async function queueOtherWay(replyId: string, via: OtherWay): Promise<{ id: Types.ObjectId } | null> {
  if (!Types.ObjectId.isValid(replyId)) return null;
  const refused = await MessageModel.findById(replyId).lean();
  if (refused?.direction !== 'outbound' || refused.delivery?.refusal !== 'reply_not_allowed') return null;
  const conversation = await ConversationModel.findById(refused.conversationId, { customer: 1 }).lean();
  const handle = conversation?.customer?.handle;
  if (via === 'dm' ? !conversation?.customer?.id : !handle) return null;
  const text = via === 'post' && handle && !refused.text.toLowerCase().startsWith(handle.toLowerCase()) ? `${handle} ${refused.text}` : refused.text;
  const externalId = `${refused.externalId}:other-way`;
  const id = messageIdFor({ channel: refused.channel, account: refused.account, externalId });
  const stored = await insertOnce(() =>
    MessageModel.create({
      _id: id,
      channel: refused.channel,
      account: refused.account,
      externalId,
      conversationId: refused.conversationId,
      direction: 'outbound',
      kind: via === 'dm' ? 'dm' : 'post',
      author: refused.author,
      text,
      sentAt: new Date(),
      // the agent's message: its reaction tells how this copy went
      slack: refused.slack,
      delivery: { state: 'queued', attempts: 0, via },
    }),
  );
  return stored ? { id } : null;
}
