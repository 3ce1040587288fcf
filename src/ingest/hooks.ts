import type { Outbox } from '../domain/outbox';
import type { SlaClock } from '../sla/clock';
import { ConversationModel } from '../store/models/conversation';
import type { PipelineDeps } from './pipeline';

export interface HookDeps {
  clock: Pick<SlaClock, 'customerMessage' | 'screeningChanged'>;
  outbox: Pick<Outbox, 'conversationRouted' | 'followUpStored'>;
  /** NO_REPLY_CARDS: 'channel' posts the cards of conversations that need no reply too (without a clock) */
  noReplyCards?: 'none' | 'channel';
  onRouted?: (conversationId: string, department: string) => void;
}

/**
 * The pipeline's outbox steps (the clocks start with the conversation's insert): a new conversation queues its card,
 * a follow-up moves the clock and queues its thread line. A blocked sender's conversation gets no card; one that
 * needs no reply (unless NO_REPLY_CARDS=channel) none either, until a follow-up that needs a reply makes it an ordinary one.
 */
export function outboxHooks(deps: HookDeps): Pick<PipelineDeps, 'onNewConversation' | 'onFollowUp'> {
  const cardsForQuiet = deps.noReplyCards === 'channel';
  return {
    onNewConversation: async ({ conversationId, department, blocked, needsReply }) => {
      if (blocked) return;
      const id = String(conversationId);
      deps.onRouted?.(id, department);
      if (needsReply !== false || cardsForQuiet) await deps.outbox.conversationRouted(id);
    },
    onFollowUp: async (messageId, conversationId, at, screen) => {
      const quiet = screen?.quiet;
      if (quiet && quiet.reply?.needed !== false) {
        await wake(conversationId, quiet.reply?.reason ?? 'model', at, deps);
        await deps.outbox.followUpStored(messageId);
        return;
      }
      if (quiet) {
        // still nothing to answer: stored, and in the thread only where a card was posted for it
        if (cardsForQuiet) await deps.outbox.followUpStored(messageId);
        return;
      }
      await deps.clock.customerMessage(conversationId, at);
      await deps.outbox.followUpStored(messageId);
    },
  };
}

/** A customer's message that needs a reply turns a no-reply conversation into an ordinary one: clock from now, card. */
async function wake(conversationId: string, reason: string, at: Date, deps: HookDeps): Promise<void> {
  const before = await ConversationModel.findOneAndUpdate(
    { _id: conversationId, needsReply: false },
    { $set: { needsReply: true, reply: { reason: `follow-up: ${reason}`, at } } },
    { returnDocument: 'before', projection: { slack: 1 } },
  ).lean();
  await deps.clock.screeningChanged(conversationId, at);
  // its card was not posted while it needed no reply; with NO_REPLY_CARDS=channel it is there already
  if (before && !before.slack?.ts) await deps.outbox.conversationRouted(conversationId);
}
