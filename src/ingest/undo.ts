import { ConversationModel, lastInboundIdOf } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { RoutingEventModel } from '../store/models/routing-event';
import { markRollupDaysStale } from '../store/repositories/sla-rollups';
import type { BatchLedger } from './store-batch';

/**
 * Takes back what a batch's writes did before one failed (there is no multi-document transaction to lean on): the
 * messages and conversations it inserted, never one that was there before, and the counters of those it joined.
 */
export async function undoBatch(ledger: BatchLedger): Promise<void> {
  if (ledger.messages.length > 0) await MessageModel.deleteMany({ _id: { $in: ledger.messages } });
  if (ledger.conversations.length > 0) {
    await RoutingEventModel.deleteMany({ conversationId: { $in: ledger.conversations } });
    const gone = await ConversationModel.find({ _id: { $in: ledger.conversations } }, { firstMessageAt: 1 }).lean();
    await ConversationModel.deleteMany({ _id: { $in: ledger.conversations } });
    await markRollupDaysStale(gone.map((c) => c.firstMessageAt));
  }
  for (const [id, externalIds] of ledger.joined) await unjoin(id, externalIds);
}

/**
 * Takes back what joining `externalIds` did to a conversation that existed before: its count and latest message.
 * Every join moves `messageCount`, so the dates are set only while it is as read: a batch that joined meanwhile (and
 * maybe moved them on) makes this read again, 3 times at most; then the count alone is taken back.
 */
async function unjoin(conversationId: string, externalIds: string[]): Promise<void> {
  for (let round = 1; round <= 3; round++) {
    const conversation = await ConversationModel.findById(conversationId).lean();
    if (!conversation) return;
    // ingested messages only: agents' replies and notes carry a delivery state or direction note, and never counted
    const rest = await MessageModel.find({ conversationId, direction: { $ne: 'note' }, delivery: { $exists: false } }).sort({ sentAt: -1, _id: -1 }).lean();
    // a blocked sender's message neither dates the conversation nor is what an agent's reply answers (as when it was joined)
    const latest = rest.find((m) => m.blocked !== true);
    const lastInbound = rest.find((m) => m.direction === 'inbound' && m.blocked !== true);
    const pointedAt = lastInboundIdOf(conversation);
    const pointedAtUndone = pointedAt !== undefined && externalIds.includes(pointedAt);
    const dates = latest ? { lastMessageAt: latest.sentAt, ...(pointedAtUndone && lastInbound ? { lastInbound: { at: lastInbound.sentAt, externalId: lastInbound.externalId } } : {}) } : {};
    const done = await ConversationModel.updateOne(
      { _id: conversationId, messageCount: conversation.messageCount },
      { $inc: { messageCount: -externalIds.length }, ...(latest ? { $set: dates } : {}) },
    );
    if (done.matchedCount > 0) return;
  }
  await ConversationModel.updateOne({ _id: conversationId }, { $inc: { messageCount: -externalIds.length } });
}
