import type { Types } from 'mongoose';
import type { InboundMessage } from '../domain/message';
import type { Router } from '../routing/router';
import { insertOnce } from '../store/connection';
import { conversationIdFor, messageIdFor } from '../store/ids';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { RoutingEventModel } from '../store/models/routing-event';
import { normalize } from './normalize';

export interface NewConversation {
  conversationId: Types.ObjectId;
  department: string;
  /** when the customer wrote the first message */
  at: Date;
}

export interface PipelineDeps {
  router: Router;
  /** called once per conversation created, after its first message is stored */
  onNewConversation?: (created: NewConversation) => Promise<void>;
  /** called once per later customer message stored in an existing conversation */
  onFollowUp?: (messageId: string, conversationId: string, at: Date) => Promise<void>;
}

export type IngestOutcome = 'stored' | 'duplicate';

export interface IngestItemResult {
  externalId: string;
  outcome: IngestOutcome;
  conversationId: string;
  /** set when this message opened a new conversation */
  department?: string;
}

/**
 * normalize → dedupe → thread → classify → route → record. Dedupe and threading are inserts on
 * ids derived from (channel, account, externalId | threadKey): the unique index decides.
 */
export async function ingestMessage(raw: InboundMessage, deps: PipelineDeps): Promise<IngestItemResult> {
  const message = normalize(raw);
  const conversationId = conversationIdFor(message);
  const messageId = messageIdFor(message);
  const result = (outcome: IngestOutcome, department?: string): IngestItemResult => ({
    externalId: message.externalId,
    outcome,
    conversationId: String(conversationId),
    department,
  });

  const stored = await insertOnce(() =>
    MessageModel.create({
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
      rawJson: message.raw === undefined ? undefined : JSON.stringify(message.raw),
    }),
  );
  if (!stored) return result('duplicate');

  let department: string | undefined;
  try {
    department = await openConversation(conversationId, message, deps.router);
  } catch (err) {
    // no message without its conversation: undo the insert, a retry starts clean
    await MessageModel.deleteOne({ _id: messageId });
    throw err;
  }
  if (department === undefined) {
    await joinConversation(conversationId, message);
    if (!message.fromSelf) await deps.onFollowUp?.(String(messageId), String(conversationId), message.createdAt);
    return result('stored');
  }
  await deps.onNewConversation?.({ conversationId, department, at: message.createdAt });
  return result('stored', department);
}

/** Creates the conversation with its routing decision; undefined when it already exists. */
async function openConversation(conversationId: Types.ObjectId, message: InboundMessage, router: Router): Promise<string | undefined> {
  const decision = router.route(message.text, message.author);
  const created = await insertOnce(() =>
    ConversationModel.create({
      _id: conversationId,
      channel: message.channel,
      account: message.account,
      threadKey: message.threadKey,
      kind: message.kind,
      customer: message.author,
      preview: message.text.slice(0, 280),
      department: decision.department,
      triaged: decision.method === 'triage',
      routing: decision,
      status: 'open',
      firstMessageAt: message.createdAt,
      lastMessageAt: message.createdAt,
      lastInboundExternalId: message.fromSelf ? undefined : message.externalId,
      messageCount: 1,
    }),
  );
  if (!created) return undefined;
  await RoutingEventModel.create({
    conversationId,
    to: decision.department,
    method: decision.method,
    actor: decision.method === 'rule' ? 'rule' : 'classifier',
    reason: decision.rule ? `new conversation; rule: ${decision.rule}` : 'new conversation',
    confidence: decision.confidence,
  });
  return decision.department;
}

/** A later message joins its conversation and reopens it if it was resolved. */
async function joinConversation(conversationId: Types.ObjectId, message: InboundMessage): Promise<void> {
  const inbound = message.fromSelf ? {} : { lastInboundExternalId: message.externalId };
  const before = await ConversationModel.findOneAndUpdate(
    { _id: conversationId },
    { $inc: { messageCount: 1 }, $max: { lastMessageAt: message.createdAt }, $set: inbound },
    { returnDocument: 'before' },
  ).lean();
  if (!message.fromSelf && before?.status === 'resolved') {
    await ConversationModel.updateOne(
      { _id: conversationId, status: 'resolved' },
      { $set: { status: 'open', reopenedAt: new Date() }, $unset: { resolvedAt: 1 } },
    );
  }
}

export async function ingestBatch(messages: InboundMessage[], deps: PipelineDeps): Promise<IngestItemResult[]> {
  const results: IngestItemResult[] = [];
  // in order: a follow-up in the same batch must find the conversation its first message opened
  for (const message of messages) results.push(await ingestMessage(message, deps));
  return results;
}
