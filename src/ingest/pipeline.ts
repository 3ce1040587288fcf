import type { Types } from 'mongoose';
import type { InboundMessage } from '../domain/message';
import type { Router } from '../routing/router';
import { isDuplicateKeyError } from '../store/connection';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { RoutingEventModel } from '../store/models/routing-event';
import { normalize } from './normalize';

export interface NewConversation {
  conversationId: Types.ObjectId;
  department: string;
}

export interface PipelineDeps {
  router: Router;
  /** called once per conversation created, after its first message is stored */
  onNewConversation?: (created: NewConversation) => Promise<void>;
}

export type IngestOutcome = 'stored' | 'duplicate';

export interface IngestItemResult {
  externalId: string;
  outcome: IngestOutcome;
  conversationId: string;
  /** set when this message opened a new conversation */
  department?: string;
}

/** normalize → dedupe → thread → classify (new conversations only) → route → record. */
export async function ingestMessage(raw: InboundMessage, deps: PipelineDeps): Promise<IngestItemResult> {
  const message = normalize(raw);
  const key = { channel: message.channel, account: message.account, externalId: message.externalId };
  const existing = await MessageModel.findOne(key, { conversationId: 1 }).lean();
  if (existing) return { externalId: message.externalId, outcome: 'duplicate', conversationId: String(existing.conversationId) };

  const { conversationId, created, department, method } = await findOrCreateConversation(message, deps.router);
  try {
    await MessageModel.create({
      ...key,
      conversationId,
      direction: message.fromSelf ? 'outbound' : 'inbound',
      kind: message.kind,
      author: message.author,
      text: message.text,
      sentAt: message.createdAt,
      url: message.url,
      inReplyToExternalId: message.inReplyToExternalId,
      rawJson: message.raw === undefined ? undefined : JSON.stringify(message.raw),
    });
  } catch (err) {
    // no conversation without its first message: undo what this call created
    if (created) await ConversationModel.deleteOne({ _id: conversationId });
    if (isDuplicateKeyError(err)) return { externalId: message.externalId, outcome: 'duplicate', conversationId: String(conversationId) };
    throw err;
  }

  if (created) {
    await RoutingEventModel.create({
      conversationId,
      to: department,
      method,
      actor: 'classifier',
      reason: 'new conversation',
    });
    await deps.onNewConversation?.({ conversationId, department });
  } else {
    await joinConversation(conversationId, message);
  }
  return { externalId: message.externalId, outcome: 'stored', conversationId: String(conversationId), department: created ? department : undefined };
}

async function findOrCreateConversation(message: InboundMessage, router: Router) {
  const thread = { channel: message.channel, account: message.account, threadKey: message.threadKey };
  const found = await ConversationModel.findOne(thread, { _id: 1, department: 1 }).lean();
  if (found) return { conversationId: found._id, created: false, department: found.department };

  const decision = router.route(message.text);
  const result = await ConversationModel.findOneAndUpdate(
    thread,
    {
      $setOnInsert: {
        kind: message.kind,
        customer: message.author,
        preview: message.text.slice(0, 280),
        department: decision.department,
        triaged: decision.method === 'triage',
        routing: { ...decision },
        status: 'open',
        firstMessageAt: message.createdAt,
        lastMessageAt: message.createdAt,
        lastInboundExternalId: message.fromSelf ? undefined : message.externalId,
        messageCount: 1,
      },
    },
    { upsert: true, returnDocument: 'after', includeResultMetadata: true },
  );
  const doc = result.value;
  if (!doc) throw new Error(`conversation upsert for ${message.threadKey} returned nothing`);
  return {
    conversationId: doc._id,
    created: !result.lastErrorObject?.updatedExisting,
    department: doc.department,
    method: doc.routing.method,
  };
}

/** A later message joins its conversation and reopens it if it was resolved. */
async function joinConversation(conversationId: Types.ObjectId, message: InboundMessage): Promise<void> {
  const inbound = message.fromSelf ? {} : { lastInboundExternalId: message.externalId };
  await ConversationModel.updateOne(
    { _id: conversationId },
    { $inc: { messageCount: 1 }, $max: { lastMessageAt: message.createdAt }, $set: inbound },
  );
  if (!message.fromSelf) {
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
