import { ConversationModel } from '../store/models/conversation';
import type { NewConversation, PipelineDeps } from './pipeline';
import type { FollowUp } from './store-batch';

/**
 * The sweep's finishing of a conversation stored `routingPending` by a version that ran its hooks after the insert
 * (before the clocks came with it): the hooks, then the mark cleared. The hooks must be safe to repeat.
 */
export async function announceConversation(
  conversation: NewConversation,
  deps: Pick<PipelineDeps, 'onNewConversation'>,
): Promise<void> {
  await deps.onNewConversation?.(conversation);
  await ConversationModel.updateOne({ _id: conversation.conversationId }, { $unset: { routingPending: 1 } });
}

/**
 * A batch's new conversations, each one's hooks (its card job). Stored is stored, so a failure is reported, not
 * thrown: the sweep queues a card that never came (`findUnfinished`'s cards); returns the ids whose hooks failed.
 */
export async function announceConversations(created: NewConversation[], deps: PipelineDeps): Promise<Set<string>> {
  const failed = new Set<string>();
  for (const c of created) {
    try {
      await deps.onNewConversation?.(c);
    } catch (err) {
      failed.add(String(c.conversationId));
      deps.onHookFailed?.(err, 'new-conversation', String(c.conversationId));
    }
  }
  return failed;
}

/**
 * A batch's customer follow-ups, in order; one whose conversation's hooks failed in this batch is left to the sweep.
 * A follow-up whose card another request has not posted yet is not held: its thread job waits for the card.
 */
export async function announceFollowUps(followUps: FollowUp[], leftToSweep: Set<string>, deps: PipelineDeps): Promise<void> {
  const onFollowUp = deps.onFollowUp;
  if (!onFollowUp) return;
  for (const f of followUps) {
    if (leftToSweep.has(String(f.conversationId))) continue;
    try {
      await onFollowUp(f.messageId, String(f.conversationId), f.at, f.quiet ? { quiet: f.quiet } : undefined);
    } catch (err) {
      deps.onHookFailed?.(err, 'follow-up', f.messageId);
    }
  }
}
