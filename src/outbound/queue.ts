import { Types } from 'mongoose';
import type { MessageKind } from '../domain/message';
import { insertOnce } from '../store/connection';
import { messageIdFor } from '../store/ids';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';

export interface AgentMessage {
  conversation: { _id: Types.ObjectId; channel: string; account: string; kind: MessageKind };
  text: string;
  /** unique per message the agent wrote: a redelivered Slack event or a retried API request finds it stored */
  externalId: string;
  author: { id: string; name: string };
  /** an internal note: never delivered */
  note: boolean;
  /** the agent's Slack message, when written there: the thread hears how the delivery went */
  slack?: { channel: string; ts: string; userId: string };
  /** written outside Slack: the web inbox or the API */
  origin?: 'inbox' | 'api';
}

/** Stores an agent's message as a queued reply or an internal note, once per `externalId` (`created` false: stored before). */
export async function recordAgentMessage(m: AgentMessage): Promise<{ id: Types.ObjectId; created: boolean }> {
  const id = messageIdFor({ channel: m.conversation.channel, account: m.conversation.account, externalId: m.externalId });
  const created = await insertOnce(() =>
    MessageModel.create({
      _id: id,
      channel: m.conversation.channel,
      account: m.conversation.account,
      externalId: m.externalId,
      conversationId: m.conversation._id,
      direction: m.note ? 'note' : 'outbound',
      kind: m.conversation.kind,
      author: m.author,
      text: m.text.trim(),
      sentAt: new Date(),
      slack: m.slack,
      origin: m.origin,
      delivery: m.note ? undefined : { state: 'queued', attempts: 0 },
    }),
  );
  return { id, created };
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
