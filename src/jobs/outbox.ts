import type { Agenda } from 'agenda';
import type { Outbox } from '../domain/outbox';
import { deliverReply, type DeliveryDeps } from '../outbound/deliver';
import type { Logger } from '../runtime/logger';
import type { SlackNotifier } from '../slack/notify';
import { postAgentMessage } from '../slack/agent-lines';
import { reportDelivery } from '../slack/reporter';
import { queueOnce } from './agenda';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock, WorkBusyError } from './locks';

export const JOBS = {
  postConversation: 'slack.post-conversation',
  postFollowUp: 'slack.post-followup',
  deliver: 'outbound.deliver',
  reportDelivery: 'slack.report-delivery',
  postAgentMessage: 'slack.post-agent-message',
  pendingReplies: 'slack.pending-replies',
} as const;

/** Slack's Retry-After when it sent one, else exponential from `baseMs` (SLACK_RETRY_BASE_MS): 1 s, 2 s, 4 s ... up to 5 minutes; 10 tries. */
export function slackBackoff(ctx: { attempt: number; error: Error }, baseMs = 1000): number | null {
  if (ctx.attempt > 10) return null;
  const retryAfter = (ctx.error as { retryAfter?: number }).retryAfter;
  if (typeof retryAfter === 'number' && retryAfter > 0) return retryAfter * 1000;
  return Math.min(baseMs * 2 ** (ctx.attempt - 1), 5 * 60_000);
}

/** A delivery retries only when its lease was busy (its own failures it schedules itself): 1 s ... 30 s, 20 tries. */
export function busyBackoff(ctx: { attempt: number; error: Error }): number | null {
  if (!(ctx.error instanceof WorkBusyError) || ctx.attempt > 20) return null;
  return Math.min(1000 * 2 ** (ctx.attempt - 1), 30_000);
}

/** 'busy': another worker holds the item's lease and may still fail, so this job must not end as done. */
function unlessBusy(outcome: string, what: string): void {
  if (outcome === 'busy') throw new WorkBusyError(what);
}

/** Thin job definitions: each calls one function; failures retry with backoff. */
export interface OutboxJobDeps {
  notifier?: SlackNotifier;
  /** agent replies that came before their card's thread was known (Slack.sweepPendingReplies) */
  sweepPendingReplies?: () => Promise<void>;
  delivery: DeliveryDeps;
  logger?: Logger;
  /** how long a job's lock outlives its worker (renewed while it runs) */
  lockLifetimeMs?: number;
  /** SLACK_RETRY_BASE_MS: a failed Slack job's first wait */
  slackRetryBaseMs?: number;
}

export function defineOutboxJobs(agenda: Agenda, deps: OutboxJobDeps): void {
  const notifier = deps.notifier;
  const lockLifetime = deps.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  const slackJob = { backoff: (ctx: { attempt: number; error: Error }) => slackBackoff(ctx, deps.slackRetryBaseMs), concurrency: 5, lockLifetime };
  if (notifier) {
    agenda.define<{ conversationId: string }>(JOBS.postConversation, async (job) => {
      const { conversationId } = job.attrs.data;
      unlessBusy(await renewingLock(job, lockLifetime, () => notifier.postConversation(conversationId)), `the card of conversation ${conversationId}`);
    }, slackJob);
    agenda.define<{ messageId: string }>(JOBS.postFollowUp, async (job) => {
      const { messageId } = job.attrs.data;
      unlessBusy(await renewingLock(job, lockLifetime, () => notifier.postFollowUp(messageId)), `follow-up ${messageId}`);
    }, slackJob);
    agenda.define<{ messageId: string }>(JOBS.postAgentMessage, async (job) => {
      const { messageId } = job.attrs.data;
      unlessBusy(await renewingLock(job, lockLifetime, () => postAgentMessage(messageId, notifier)), `the thread line of ${messageId}`);
    }, slackJob);
    agenda.define<{ messageId: string }>(JOBS.reportDelivery, async (job) => {
      const { messageId } = job.attrs.data;
      unlessBusy(await renewingLock(job, lockLifetime, () => reportDelivery(messageId, notifier)), `the delivery report of ${messageId}`);
    }, slackJob);
  }
  agenda.define<{ messageId: string }>(JOBS.deliver, async (job) => {
    const { messageId } = job.attrs.data;
    // renewed: a delivery may wait on the channel (X's slow answers) for longer than the lock's lifetime
    const outcome = await renewingLock(job, lockLifetime, () => deliverReply(messageId, deps.delivery));
    unlessBusy(outcome.state, `reply ${messageId}`);
    if (outcome.state === 'retry') await agenda.schedule(outcome.retryAt, JOBS.deliver, job.attrs.data);
    // not a job failure (the job did its work), but the customer got nothing: say so
    if (outcome.state === 'failed') deps.logger?.warn({ job: JOBS.deliver, messageId, reason: outcome.reason }, 'reply not delivered');
  }, { backoff: busyBackoff, concurrency: 5, lockLifetime });
  const sweepPending = deps.sweepPendingReplies;
  if (sweepPending) agenda.define(JOBS.pendingReplies, (job) => renewingLock(job, lockLifetime, sweepPending), { concurrency: 1, lockLifetime });
}

export async function schedulePendingReplies(agenda: Agenda): Promise<void> {
  await agenda.every('1 minute', JOBS.pendingReplies);
}

/** The outbox as agenda jobs, queued to run now, one job per item (src/jobs/reconcile.ts queues them again). */
export function agendaOutbox(agenda: Agenda, slackEnabled: boolean): Outbox {
  return {
    conversationRouted: async (conversationId) => {
      if (slackEnabled) await queueOnce(agenda, JOBS.postConversation, { conversationId });
    },
    followUpStored: async (messageId) => {
      if (slackEnabled) await queueOnce(agenda, JOBS.postFollowUp, { messageId });
    },
    replyQueued: async (messageId) => {
      await queueOnce(agenda, JOBS.deliver, { messageId });
    },
    replyFinished: async (messageId) => {
      if (slackEnabled) await queueOnce(agenda, JOBS.reportDelivery, { messageId });
    },
    agentMessageWritten: async (messageId) => {
      if (slackEnabled) await queueOnce(agenda, JOBS.postAgentMessage, { messageId });
    },
  };
}
