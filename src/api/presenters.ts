import { runnerUp } from '../routing/runner-up';
import type { StoredConversation } from '../store/models/conversation';
import type { ActivityDoc } from '../store/models/activity';
import type { MessageDoc } from '../store/models/message';

type WithId<T> = T & { _id: unknown };

/** The wire shape of a conversation; scores leave as a plain object. */
export function presentConversation(c: StoredConversation) {
  const scores = c.routing.scores instanceof Map ? Object.fromEntries(c.routing.scores) : (c.routing.scores ?? {});
  return {
    id: String(c._id),
    channel: c.channel,
    account: c.account,
    threadKey: c.threadKey,
    kind: c.kind,
    customer: c.customer,
    preview: c.preview,
    department: c.department,
    status: c.status,
    assignee: c.assignee ? { name: c.assignee.name ?? null, slackUserId: c.assignee.slackUserId ?? null } : null,
    productFeedback: c.productFeedback ?? false,
    needsReply: c.needsReply !== false,
    reply: c.reply ? { score: c.reply.score ?? null, reason: c.reply.reason ?? null, by: c.reply.by ?? null, at: c.reply.at ?? null } : null,
    blocked: c.blocked === true,
    routing: {
      method: c.routing.method,
      label: c.routing.label,
      confidence: c.routing.confidence,
      scores,
      lang: c.routing.lang,
      terms: c.routing.terms,
      // the model's close second choice (within RUNNER_UP_MARGIN of its best), or null
      runnerUp: runnerUp(scores, { label: c.routing.label }),
    },
    messageCount: c.messageCount,
    firstMessageAt: c.firstMessageAt,
    lastMessageAt: c.lastMessageAt,
    resolvedAt: c.resolvedAt ?? null,
    reopenedAt: c.reopenedAt ?? null,
  };
}

export function presentMessage(m: WithId<MessageDoc>) {
  return {
    id: String(m._id),
    externalId: m.externalId,
    direction: m.direction,
    kind: m.kind,
    author: m.author,
    text: m.text,
    sentAt: m.sentAt,
    url: m.url ?? null,
    // an agent's reply: how its delivery through the channel stands (queued → sending → sent | failed)
    delivery: m.delivery
      ? {
          state: m.delivery.state,
          attempts: m.delivery.attempts ?? 0,
          lastError: m.delivery.lastError ?? null,
          gaveUp: m.delivery.gaveUp ?? false,
          refusal: m.delivery.refusal ?? null,
          sentAt: m.delivery.sentAt ?? null,
          sentUrl: m.delivery.sentUrl ?? null,
        }
      : null,
  };
}

export function presentActivity(a: WithId<ActivityDoc>) {
  return { id: String(a._id), type: a.type, actor: a.actor, details: (a.details as Record<string, unknown> | undefined) ?? null, at: a.createdAt };
}
