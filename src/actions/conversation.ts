import type { ConversationStatus } from '../domain/conversation';
import { recordAction } from '../audit/record';
import { ConversationModel } from '../store/models/conversation';
import { reassignConversation, setConversationStatus } from '../store/repositories/conversations';
import type { ActionDeps, Actor } from './types';

/** An assignee: a name, and the Slack user when the agent is one. */
export interface Assignee {
  name: string;
  slackUserId?: string;
}

// the activity a status change leaves: back to open from resolved or waiting is a reopening
const STATUS_ACTIVITY: Record<ConversationStatus, 'reopened' | 'waiting' | 'resolved'> = { open: 'reopened', waiting: 'waiting', resolved: 'resolved' };

/** Assigns (or, with null, unassigns) a conversation. False: no such conversation. */
export async function assignConversation(id: string, assignee: Assignee | null, actor: Actor, deps: ActionDeps): Promise<boolean> {
  const update = assignee ? { $set: { assignee: { name: assignee.name, ...(assignee.slackUserId ? { slackUserId: assignee.slackUserId } : {}) } } } : { $unset: { assignee: 1 } };
  const before = await ConversationModel.findOneAndUpdate({ _id: id }, update, { returnDocument: 'before', projection: { assignee: 1 } }).lean();
  if (!before) return false;
  await recordAction({ conversationId: id, type: assignee ? 'assigned' : 'unassigned', actor, details: assignee ? { name: assignee.name } : undefined, before: { assignee: before.assignee?.name ?? null }, after: { assignee: assignee?.name ?? null } });
  await deps.effects?.changed?.(id, actor);
  return true;
}

/** Open, waiting (on the customer) or resolved; the SLA clocks hear a change. False: no such conversation. */
export async function changeStatus(id: string, status: ConversationStatus, actor: Actor, deps: ActionDeps, at = new Date()): Promise<boolean> {
  const before = await setConversationStatus(id, status, at);
  if (!before) return false;
  // a second press of Resolve changes nothing: no event, no activity
  if (before.status === status) return true;
  await deps.events?.statusChanged(id, status, at);
  await recordAction({ conversationId: id, type: STATUS_ACTIVITY[status], actor, before: { status: before.status }, after: { status } });
  await deps.effects?.changed?.(id, actor);
  return true;
}

/** Tags (or untags) a conversation for the product feedback digest. False: no such conversation. */
export async function markFeedback(id: string, productFeedback: boolean, actor: Actor, deps: ActionDeps): Promise<boolean> {
  const before = await ConversationModel.findOneAndUpdate({ _id: id }, { $set: { productFeedback } }, { returnDocument: 'before', projection: { productFeedback: 1 } }).lean();
  if (!before) return false;
  if (Boolean(before.productFeedback) === productFeedback) return true;
  await recordAction({ conversationId: id, type: 'feedback', actor, details: productFeedback ? undefined : { productFeedback }, before: { productFeedback: !productFeedback }, after: { productFeedback } });
  await deps.effects?.changed?.(id, actor);
  return true;
}

/**
 * A person moves a conversation to another department: routing event and training example (the repository),
 * activity, the SLA clock restarts on the new policy, Slack moves the card. Null: no such conversation.
 */
export async function reassign(id: string, to: string, actor: Actor, deps: ActionDeps, reason?: string): Promise<'moved' | 'unchanged' | null> {
  const moved = await reassignConversation(id, to, actor.id, reason);
  if (!moved) return null;
  if (!moved.changed) return 'unchanged';
  await recordAction({ conversationId: id, type: 'reassigned', actor, details: { to }, before: { department: moved.from }, after: { department: to } });
  await deps.events?.reassigned(id, to, new Date());
  await deps.effects?.moved?.(id, to, actor);
  return 'moved';
}
