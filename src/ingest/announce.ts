import type { Types } from 'mongoose';
import { ConversationModel } from '../store/models/conversation';
import type { NewConversation, PipelineDeps } from './pipeline';
import type { FollowUp } from './store-batch';

/**
 * Runs a new conversation's hooks (SLA clock, card job), then clears its `routingPending` mark. A crash or a failing
 * hook leaves the mark for the reconciliation sweep, which calls this again: the hooks must be safe to repeat.
 */
export async function announceConversation(
  conversation: NewConversation,
  deps: Pick<PipelineDeps, 'onNewConversation'>,
): Promise<void> {
  await deps.onNewConversation?.(conversation);
  await ConversationModel.updateOne({ _id: conversation.conversationId }, { $unset: { routingPending: 1 } });
}

/**
 * A batch's new conversations: each one's hooks, then one write clearing the marks of those whose hooks ran. Stored
 * is stored, so a failure is reported, not thrown; returns the ids left marked (their follow-ups wait for the sweep).
 */
export async function announceConversations(created: NewConversation[], deps: PipelineDeps): Promise<Set<string>> {
  const failed = new Set<string>();
  const done: Types.ObjectId[] = [];
  const report = (err: unknown, id: Types.ObjectId) => {
    failed.add(String(id));
    deps.onHookFailed?.(err, 'new-conversation', String(id));
  };
  for (const c of created) {
    try {
      await deps.onNewConversation?.(c);
      done.push(c.conversationId);
    } catch (err) {
      report(err, c.conversationId);
    }
  }
  if (done.length === 0) return failed;
  try {
    await ConversationModel.updateMany({ _id: { $in: done } }, { $unset: { routingPending: 1 } });
  } catch (err) {
    for (const id of done) report(err, id);
  }
  return failed;
}

/**
 * A batch's customer follow-ups, in order. One whose conversation another request is still routing waits for it (up
 * to `routingWaitMs`), so its hooks find the conversation routed; a later one, or one whose conversation's hooks
 * failed, is left to the sweep.
 */
export async function announceFollowUps(followUps: FollowUp[], leftToSweep: Set<string>, deps: PipelineDeps): Promise<void> {
  const onFollowUp = deps.onFollowUp;
  if (!onFollowUp) return;
  const todo = followUps.filter((f) => !leftToSweep.has(String(f.conversationId)));
  let late: Set<string>;
  try {
    late = await stillRoutingAfter([...new Set(todo.filter((f) => f.waitForRouting).map((f) => String(f.conversationId)))], deps.routingWaitMs ?? 5000);
  } catch (err) {
    for (const f of todo) deps.onHookFailed?.(err, 'follow-up', f.messageId);
    return;
  }
  for (const f of todo) {
    if (late.has(String(f.conversationId))) continue;
    try {
      await onFollowUp(f.messageId, String(f.conversationId), f.at, f.quiet ? { quiet: f.quiet } : undefined);
    } catch (err) {
      deps.onHookFailed?.(err, 'follow-up', f.messageId);
    }
  }
}

/** The conversations among `ids` still marked `routingPending` after up to `waitMs`, asked about together. */
async function stillRoutingAfter(ids: string[], waitMs: number): Promise<Set<string>> {
  const deadline = Date.now() + waitMs;
  let pending = ids;
  while (pending.length > 0) {
    const found = await ConversationModel.find({ _id: { $in: pending }, routingPending: true }, { _id: 1 }).lean();
    pending = found.map((c) => String(c._id));
    if (pending.length === 0 || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
  return new Set(pending);
}
