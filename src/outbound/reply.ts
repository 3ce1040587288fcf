import type { MessageKind, OutboundReply } from '../domain/message';
import { messageIdFor } from '../store/ids';
import { lastInboundIdOf } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';

interface Conversation {
  channel: string;
  account: string;
  threadKey: string;
  kind: MessageKind;
  lastInbound?: { externalId?: string | null } | null;
  lastInboundExternalId?: string | null;
  customer?: { id?: string | null } | null;
}

interface Reply {
  _id: unknown;
  text: string;
  delivery?: { via?: string | null } | null;
}

/**
 * What the connector is asked to send: by default the conversation's own way (a reply to the customer's latest
 * post, or a DM); a reply the agent chose to send another way carries `via` ('dm', or 'post': a new post).
 */
export async function outboundReplyOf(message: Reply, conversation: Conversation): Promise<OutboundReply> {
  const via = message.delivery?.via;
  const kind: MessageKind = via === 'dm' ? 'dm' : via === 'post' ? 'post' : conversation.kind;
  const target = kind === 'post' ? undefined : lastInboundIdOf(conversation);
  const base = { channel: conversation.channel, account: conversation.account, threadKey: conversation.threadKey, kind, text: message.text };
  return {
    ...base,
    inReplyToExternalId: target,
    ...(kind === 'dm' || !target ? {} : await mentionsOf(conversation, target)),
    recipientId: conversation.customer?.id ?? undefined,
    idempotencyKey: String(message._id),
  };
}

/** Whether the post we answer mentions our account, as its connector saw it (absent when it could not tell). */
async function mentionsOf(c: Conversation, externalId: string): Promise<{ inReplyToMentionsAccount?: boolean }> {
  const target = await MessageModel.findById(messageIdFor({ channel: c.channel, account: c.account, externalId }), { mentionsAccount: 1 }).lean();
  return typeof target?.mentionsAccount === 'boolean' ? { inReplyToMentionsAccount: target.mentionsAccount } : {};
}
