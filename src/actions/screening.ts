import { recordAction } from '../audit/record';
import { ConversationModel } from '../store/models/conversation';
import { saveReplyCorrection } from '../store/repositories/corrections';
import { addBlockedSender, markSenderConversations, type BlockedSender, type SenderRef } from '../store/repositories/blocked-senders';
import type { ActionDeps, Actor } from './types';

/**
 * An agent says a conversation needs a reply after all (its SLA clock starts now, its card is posted if it had
 * none) or needs none (its clock stops and no figure counts it). False: no such conversation.
 */
export async function setNeedsReply(id: string, needed: boolean, actor: Actor, deps: ActionDeps, at = new Date()): Promise<boolean> {
  const before = await ConversationModel.findOneAndUpdate(
    { _id: id },
    { $set: { needsReply: needed, 'reply.reason': 'agent', 'reply.by': actor.id, 'reply.at': at } },
    { returnDocument: 'before', projection: { needsReply: 1, slack: 1, blocked: 1 } },
  ).lean();
  if (!before) return false;
  if ((before.needsReply !== false) === needed) return true;
  await recordAction({ conversationId: id, type: needed ? 'reply-needed' : 'no-reply', actor, before: { needsReply: !needed }, after: { needsReply: needed } });
  await saveReplyCorrection(id, needed, actor.id);
  await deps.events?.screeningChanged(id, at);
  if (needed && !before.slack?.ts && before.blocked !== true) await deps.outbox.conversationRouted?.(id);
  else await deps.effects?.changed?.(id, actor);
  return true;
}

/**
 * Puts a sender on the blocked list; their conversations that are not resolved are marked, lose their SLA clocks
 * and have their cards redrawn. Later messages of theirs are stored and nothing more.
 */
export async function blockSender(sender: SenderRef & { name?: string; reason?: string }, actor: Actor, deps: Partial<ActionDeps>): Promise<{ sender: BlockedSender; created: boolean; conversations: number }> {
  const added = await addBlockedSender(sender, actor.id);
  // the list entry's id, not the handle: the audit trail keeps no customer's profile (erasure cannot reach it)
  if (added.created) await recordAction({ actor, action: 'sender.blocked', target: { kind: 'sender', id: added.sender.id }, before: { blocked: false }, after: { blocked: true, channel: sender.channel } });
  const marked = await markSenderConversations(sender);
  const at = new Date();
  for (const id of marked) {
    await recordAction({ conversationId: id, type: 'blocked', actor, before: { blocked: false }, after: { blocked: true } });
    await deps.events?.screeningChanged(id, at);
    await deps.effects?.changed?.(id, actor);
  }
  return { ...added, conversations: marked.length };
}

/** Blocks the customer of a conversation (the card's button). Null: no such conversation, or no id or handle to block by. */
export async function blockSenderOf(conversationId: string, actor: Actor, deps: ActionDeps): Promise<Awaited<ReturnType<typeof blockSender>> | null> {
  const c = await ConversationModel.findById(conversationId, { channel: 1, customer: 1 }).lean();
  if (!c || (!c.customer?.id && !c.customer?.handle)) return null;
  const { id, handle, name } = c.customer;
  return blockSender({ channel: c.channel, ...(id ? { authorId: id } : {}), ...(handle ? { handle } : {}), ...(name ? { name } : {}) }, actor, deps);
}
