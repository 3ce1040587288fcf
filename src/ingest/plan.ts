import type { Types } from 'mongoose';
import type { InboundMessage } from '../domain/message';
import { conversationIdFor, messageIdFor } from '../store/ids';
import { normalize } from './normalize';

/** One message of a batch, normalized, with the ids its dedupe and threading rest on. */
export interface PlannedMessage {
  /** its place in the batch */
  index: number;
  message: InboundMessage;
  messageId: Types.ObjectId;
  conversationId: Types.ObjectId;
}

export interface BatchPlan {
  /** one per batch position */
  all: PlannedMessage[];
  /** the first of each message id, in batch order: a repeat inside the batch is a duplicate before any write */
  unique: PlannedMessage[];
  /** the unique messages of each conversation, oldest first, batch order among equal times (key: the conversation id as a string) */
  byConversation: Map<string, PlannedMessage[]>;
}

/** Normalizes and keys a whole batch in memory; a message that cannot be normalized stops it before any write. */
export function planBatch(messages: InboundMessage[]): BatchPlan {
  const all = messages.map((raw, index) => {
    const message = normalize(raw);
    return { index, message, messageId: messageIdFor(message), conversationId: conversationIdFor(message) };
  });
  const seen = new Set<string>();
  const unique = all.filter((p) => !seen.has(String(p.messageId)) && Boolean(seen.add(String(p.messageId))));
  const byConversation = new Map<string, PlannedMessage[]>();
  for (const p of unique) {
    const key = String(p.conversationId);
    byConversation.set(key, [...(byConversation.get(key) ?? []), p]);
  }
  // channels list the newest first: a conversation opens with its oldest message, whatever the batch's order
  for (const members of byConversation.values()) members.sort((a, b) => a.message.createdAt.getTime() - b.message.createdAt.getTime() || a.index - b.index);
  return { all, unique, byConversation };
}

/** The message document the store keeps for a planned message, as mongoose's create() would write it. */
export function messageDoc({ message, messageId, conversationId }: PlannedMessage, now: Date): Record<string, unknown> {
  return {
    _id: messageId,
    channel: message.channel,
    account: message.account,
    externalId: message.externalId,
    conversationId,
    direction: message.fromSelf ? 'outbound' : 'inbound',
    kind: message.kind,
    author: message.author,
    text: message.text,
    sentAt: message.createdAt,
    url: message.url,
    inReplyToExternalId: message.inReplyToExternalId,
    mentionsAccount: message.mentionsAccount,
    subject: message.subject,
    attachments: message.attachments,
    rawJson: message.raw === undefined ? undefined : JSON.stringify(message.raw),
    createdAt: now,
    updatedAt: now,
    __v: 0,
  };
}

/** What the classifier and the no-reply detector read of a message. */
export const classifiedText = (m: InboundMessage): string => m.classifyText ?? m.text;

/** The latest time and the last inbound message among `messages` (oldest first): what a conversation's counters move to. */
export function latestOf(messages: PlannedMessage[]): { lastMessageAt: Date; lastInbound?: { at: Date; externalId: string } } {
  const lastMessageAt = new Date(Math.max(...messages.map((p) => p.message.createdAt.getTime())));
  const last = messages.filter((p) => !p.message.fromSelf).at(-1)?.message;
  return { lastMessageAt, ...(last ? { lastInbound: { at: last.createdAt, externalId: last.externalId } } : {}) };
}
