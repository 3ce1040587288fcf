import type { Outbox } from '../domain/outbox';
import { announceConversation } from '../ingest/announce';
import type { PipelineDeps } from '../ingest/pipeline';
import type { Unrouted } from '../outbox/reconcile';
import type { Router } from '../routing/router';
import type { SlaClock } from '../sla/clock';
import type { Logger } from './logger';

/** The app's pipeline: SLA clocks started with each new conversation's insert, a card job for it, a clock event and job per follow-up. */
export function appPipeline(o: { router: Router; clock: SlaClock; outbox: Outbox; logger: Logger; routingWaitMs?: number }): PipelineDeps {
  return {
    router: o.router,
    openingSla: (department, at) => o.clock.opening(department, at),
    onNewConversation: async ({ conversationId, department }) => {
      o.logger.info({ conversationId: String(conversationId), department }, 'new conversation routed');
      await o.outbox.conversationRouted(String(conversationId));
    },
    onFollowUp: async (messageId, conversationId, at) => {
      await o.clock.customerMessage(conversationId, at);
      await o.outbox.followUpStored(messageId);
    },
    routingWaitMs: o.routingWaitMs,
    onHookFailed: (err, step, id) => o.logger.warn({ err, step, id }, 'stored, but its outbox step failed: the sweep will finish it'),
  };
}

/** What the reconciliation sweep does for a conversation whose hooks never ran: also start its clocks if it has none (stored before they came with the insert). */
export function sweepAnnouncer(clock: SlaClock, pipeline: PipelineDeps): (conversation: Unrouted) => Promise<void> {
  return async (conversation) => {
    await clock.routedIfUnset(String(conversation.conversationId), conversation.department, conversation.at);
    await announceConversation(conversation, pipeline);
  };
}
