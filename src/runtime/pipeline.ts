import type { Outbox } from '../domain/outbox';
import { announceConversation } from '../ingest/announce';
import { outboxHooks, type HookDeps } from '../ingest/hooks';
import type { PipelineDeps } from '../ingest/pipeline';
import type { Unrouted } from '../outbox/reconcile';
import type { Router } from '../routing/router';
import type { SlaClock } from '../sla/clock';
import type { Logger } from './logger';

/**
 * The app's pipeline: SLA clocks started with each new conversation's insert (not for a blocked sender or a message
 * that needs no reply), then the outbox steps of `outboxHooks` (card job; a clock event and job per follow-up).
 */
export function appPipeline(o: { router: Router; clock: SlaClock; outbox: Outbox; logger: Logger; noReplyCards?: HookDeps['noReplyCards'] }): PipelineDeps {
  return {
    router: o.router,
    openingSla: (department, at) => o.clock.opening(department, at),
    ...outboxHooks({ clock: o.clock, outbox: o.outbox, noReplyCards: o.noReplyCards, onRouted: (conversationId, department) => o.logger.info({ conversationId, department }, 'new conversation routed') }),
    onHookFailed: (err, step, id) => o.logger.warn({ err, step, id }, 'stored, but its outbox step failed: the sweep will finish it'),
  };
}

/** What the reconciliation sweep does for a conversation whose hooks never ran: also start its clocks if it has none (stored before they came with the insert). */
export function sweepAnnouncer(clock: SlaClock, pipeline: PipelineDeps): (conversation: Unrouted) => Promise<void> {
  return async (conversation) => {
    if (!conversation.blocked && conversation.needsReply !== false) await clock.routedIfUnset(String(conversation.conversationId), conversation.department, conversation.at);
    await announceConversation(conversation, pipeline);
  };
}
