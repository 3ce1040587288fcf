import type { Types } from 'mongoose';
import { ConversationModel } from '../store/models/conversation';
import type { PipelineDeps } from './pipeline';

/**
 * Runs a new conversation's hooks (SLA clock, card job), then clears its `routingPending` mark. A crash or a failing
 * hook leaves the mark for the reconciliation sweep, which calls this again: the hooks must be safe to repeat.
 */
export async function announceConversation(
  conversation: { conversationId: Types.ObjectId; department: string; at: Date },
  deps: Pick<PipelineDeps, 'onNewConversation'>,
): Promise<void> {
  await deps.onNewConversation?.(conversation);
  await ConversationModel.updateOne({ _id: conversation.conversationId }, { $unset: { routingPending: 1 } });
}

/**
 * A follow-up that raced its conversation's first message (two requests at once) waits until that message's hooks
 * ran, so its own hooks find the conversation routed. False after `waitMs`: the sweep posts it later.
 */
export async function routedWithin(conversationId: Types.ObjectId, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const conversation = await ConversationModel.findById(conversationId, { routingPending: 1 }).lean();
    if (conversation?.routingPending !== true) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
}
