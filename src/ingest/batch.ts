import type { InboundMessage } from '../domain/message';
import { messageIdFor } from '../store/ids';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { RoutingEventModel } from '../store/models/routing-event';
import { normalize } from './normalize';
import { storeMessage, type IngestItemResult, type PipelineDeps } from './pipeline';

/**
 * A webhook batch stored whole or not at all. MongoDB has no multi-document transaction here (FerretDB has
 * none), so a failure part-way deletes exactly what this call inserted — never a message that was there
 * before — and the outbox steps (cards, SLA clocks) run only once every message of the batch is stored.
 */
export async function ingestAllOrNothing(messages: InboundMessage[], deps: PipelineDeps): Promise<IngestItemResult[]> {
  const done: Array<{ message: InboundMessage; result: IngestItemResult }> = [];
  const steps: Array<() => Promise<void>> = [];
  try {
    // in order: a follow-up in the same batch must find the conversation its first message opened
    for (const message of messages) {
      const stored = await storeMessage(message, deps);
      done.push({ message, result: stored.result });
      steps.push(stored.after);
    }
  } catch (err) {
    await undo(done);
    throw err;
  }
  // in order too: a follow-up's step waits for its conversation's first step (the routing mark)
  for (const step of steps) await step();
  return done.map((d) => d.result);
}

/** Deletes what `done` stored, newest first, and puts back the counters of conversations that existed before. */
async function undo(done: Array<{ message: InboundMessage; result: IngestItemResult }>): Promise<void> {
  const opened = new Set(done.filter((d) => d.result.department !== undefined).map((d) => d.result.conversationId));
  const joined = new Map<string, string[]>();
  for (const { message, result } of [...done].reverse()) {
    if (result.outcome !== 'stored') continue;
    await MessageModel.deleteOne({ _id: messageIdFor(normalize(message)) });
    if (!opened.has(result.conversationId)) joined.set(result.conversationId, [...(joined.get(result.conversationId) ?? []), result.externalId]);
  }
  for (const id of opened) {
    await RoutingEventModel.deleteMany({ conversationId: id });
    await ConversationModel.deleteOne({ _id: id });
  }
  for (const [id, externalIds] of joined) await unjoin(id, externalIds);
}

/** Takes back what joining `externalIds` did to a conversation that existed before: its count and latest message. */
async function unjoin(conversationId: string, externalIds: string[]): Promise<void> {
  // ingested messages only: agents' replies and notes carry a delivery state or direction note, and never counted
  const rest = await MessageModel.find({ conversationId, direction: { $ne: 'note' }, delivery: { $exists: false } }).sort({ sentAt: -1, _id: -1 }).lean();
  const latest = rest[0];
  const lastInbound = rest.find((m) => m.direction === 'inbound');
  const conversation = await ConversationModel.findById(conversationId).lean();
  const pointedAtUndone = typeof conversation?.lastInboundExternalId === 'string' && externalIds.includes(conversation.lastInboundExternalId);
  await ConversationModel.updateOne(
    { _id: conversationId },
    {
      $inc: { messageCount: -externalIds.length },
      ...(latest ? { $set: { lastMessageAt: latest.sentAt, ...(pointedAtUndone && lastInbound ? { lastInboundExternalId: lastInbound.externalId } : {}) } } : {}),
    },
  );
}
