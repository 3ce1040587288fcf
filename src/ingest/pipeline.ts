import type { Types } from 'mongoose';
import { crashPoint } from '../domain/crash';
import type { InboundMessage } from '../domain/message';
import type { Router } from '../routing/router';
import { insertOnce } from '../store/connection';
import { conversationIdFor, messageIdFor } from '../store/ids';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { RoutingEventModel } from '../store/models/routing-event';
import { recentCorrections } from '../store/repositories/corrections';
import { announceConversation, routedWithin } from './announce';
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
  /** how long a follow-up waits for its conversation's first message to be routed (default 5 s) */
  routingWaitMs?: number;
  /** a hook failed after the message was stored: the message stays stored and the sweep finishes the work */
  onHookFailed?: (err: unknown, step: 'new-conversation' | 'follow-up', id: string) => void;
}

export type IngestOutcome = 'stored' | 'duplicate';

export interface IngestItemResult {
  externalId: string;
  outcome: IngestOutcome;
  conversationId: string;
  /** set when this message opened a new conversation */
  department?: string;
}

/** A stored message and its outbox step (cards, SLA clocks), which the caller runs once its writes are done. */
export interface StoredMessage {
  result: IngestItemResult;
  after: () => Promise<void>;
}

const nothingAfter = (): Promise<void> => Promise.resolve();

/**
 * normalize → dedupe → thread → classify → route → record, then the outbox step. Dedupe and threading are inserts on
 * ids derived from (channel, account, externalId | threadKey): the unique index decides.
 */
export async function ingestMessage(raw: InboundMessage, deps: PipelineDeps): Promise<IngestItemResult> {
  const { result, after } = await storeMessage(raw, deps);
  await after();
  return result;
}

/** The writes of ingestMessage; its outbox step is returned, not run, so a batch can run them after all its writes. */
export async function storeMessage(raw: InboundMessage, deps: PipelineDeps): Promise<StoredMessage> {
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
  // a process that died between the two inserts left the message without its conversation: this delivery repairs it
  if (!stored && (await ConversationModel.exists({ _id: conversationId }))) return { result: result('duplicate'), after: nothingAfter };
  crashPoint('after-message-stored');

  let department: string | undefined;
  let joined = false;
  try {
    department = await openConversation(conversationId, messageId, message, deps.router);
    if (department === undefined && stored) joined = await joinConversation(conversationId, messageId, message);
  } catch (err) {
    // no message without its conversation: undo the insert, a retry starts clean
    if (stored) await MessageModel.deleteOne({ _id: messageId });
    throw err;
  }
  if (department === undefined) {
    if (!joined) return { result: result('duplicate'), after: nothingAfter };
    crashPoint('after-followup-stored');
    const after = () => (message.fromSelf ? nothingAfter() : followUp(String(messageId), conversationId, message.createdAt, deps));
    return { result: result('stored'), after };
  }
  crashPoint('after-conversation-stored');
  const created = { conversationId, department, at: message.createdAt };
  const after = () => announceConversation(created, deps).catch((err: unknown) => deps.onHookFailed?.(err, 'new-conversation', String(conversationId)));
  return { result: result('stored', department), after };
}

/** A follow-up's hooks run once its conversation is routed; stored is stored, so a failure is reported, not thrown. */
async function followUp(messageId: string, conversationId: Types.ObjectId, at: Date, deps: PipelineDeps): Promise<void> {
  try {
    if (await routedWithin(conversationId, deps.routingWaitMs ?? 5000)) await deps.onFollowUp?.(messageId, String(conversationId), at);
  } catch (err) {
    deps.onHookFailed?.(err, 'follow-up', messageId);
  }
}

/** Creates the conversation with its routing decision; undefined when it already exists. */
async function openConversation(conversationId: Types.ObjectId, messageId: Types.ObjectId, message: InboundMessage, router: Router): Promise<string | undefined> {
  const decision = router.route(message.text, message.author, await recentCorrections(message));
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
      firstMessageId: messageId,
      routingPending: true,
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

/**
 * A later message joins its conversation and reopens it if it was resolved. False when the conversation turned out
 * to be opened by this very message (a repairing retry of it won the race): then it is no follow-up.
 */
async function joinConversation(conversationId: Types.ObjectId, messageId: Types.ObjectId, message: InboundMessage): Promise<boolean> {
  const inbound = message.fromSelf ? {} : { lastInboundExternalId: message.externalId };
  const before = await ConversationModel.findOneAndUpdate(
    { _id: conversationId },
    { $inc: { messageCount: 1 }, $max: { lastMessageAt: message.createdAt }, $set: inbound },
    { returnDocument: 'before' },
  ).lean();
  if (before?.firstMessageId && String(before.firstMessageId) === String(messageId)) {
    await ConversationModel.updateOne({ _id: conversationId }, { $inc: { messageCount: -1 } });
    return false;
  }
  if (!message.fromSelf && before?.status === 'resolved') {
    await ConversationModel.updateOne(
      { _id: conversationId, status: 'resolved' },
      { $set: { status: 'open', reopenedAt: new Date() }, $unset: { resolvedAt: 1 } },
    );
  }
  return true;
}

export async function ingestBatch(messages: InboundMessage[], deps: PipelineDeps): Promise<IngestItemResult[]> {
  const results: IngestItemResult[] = [];
  // in order: a follow-up in the same batch must find the conversation its first message opened
  for (const message of messages) results.push(await ingestMessage(message, deps));
  return results;
}
