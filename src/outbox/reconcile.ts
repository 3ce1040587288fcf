import type { QueryFilter, Types } from 'mongoose';
import type { Outbox } from '../domain/outbox';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel, type MessageDoc } from '../store/models/message';

export interface ReconcileOptions {
  now: Date;
  /** younger work is still on its normal path (the hook runs right after the write) */
  graceMs: number;
  /** older work is not searched: turning Slack on must not post a year of cards */
  maxAgeMs: number;
  /** an attempt that began longer ago than a lease and left no result died with its process */
  staleMs: number;
  /** Slack is configured, and which departments have a channel; `quietCards`: NO_REPLY_CARDS=channel */
  slack?: { hasChannel: (department: string) => boolean; quietCards?: boolean };
}

export interface Unrouted {
  conversationId: Types.ObjectId;
  department: string;
  at: Date;
  blocked?: boolean;
  needsReply?: boolean;
}

/** Work a crash (or a job that gave up) left unfinished, as ids to queue again. */
export interface Unfinished {
  /** stored conversations whose hooks (SLA clock, card job) never ran */
  unrouted: Unrouted[];
  cards: string[];
  followUps: string[];
  replies: string[];
  /** finished replies whose reaction and thread line were never reported (their job was lost) */
  reports: string[];
  /** agents' replies and notes written outside Slack whose thread line was never posted */
  agentLines: string[];
}

const unposted = (before: Date) => ({
  'slack.ts': { $exists: false },
  $or: [{ slackPostStartedAt: { $exists: false } }, { slackPostStartedAt: { $lte: before } }],
});

/**
 * Finds what should have happened after a write but did not, with one query per collection (each branch has its
 * index); cards and thread lines only inside the grace and age window.
 */
export async function findUnfinished(o: ReconcileOptions): Promise<Unfinished> {
  const settled = new Date(o.now.getTime() - o.graceMs);
  const window = { $gte: new Date(o.now.getTime() - o.maxAgeMs), $lte: settled };
  const stale = new Date(o.now.getTime() - o.staleMs);
  const conversations = await ConversationModel.find(
    { createdAt: window, $or: [{ routingPending: true }, ...(o.slack ? [unposted(stale)] : [])] },
    { department: 1, firstMessageAt: 1, routingPending: 1, needsReply: 1, blocked: 1 },
  ).lean();
  // a blocked sender's conversation never has a card; one that needs no reply only with NO_REPLY_CARDS=channel
  const wantsCard = (c: (typeof conversations)[number]) => c.blocked !== true && (c.needsReply !== false || o.slack?.quietCards === true);
  const branches: Array<QueryFilter<MessageDoc>> = [
    // replies: a retry whose job was lost, one never tried (its job was never queued), one stuck in 'sending'
    { direction: 'outbound', 'delivery.state': 'queued', 'delivery.nextAttemptAt': { $lte: o.now } },
    { direction: 'outbound', 'delivery.state': 'queued', 'delivery.nextAttemptAt': { $exists: false }, createdAt: { $lte: settled } },
    { direction: 'outbound', 'delivery.state': 'sending', 'delivery.attemptStartedAt': { $lte: stale } },
  ];
  if (o.slack) {
    branches.push({ direction: 'inbound', blocked: { $ne: true }, createdAt: window, ...unposted(stale) });
    branches.push({
      direction: 'outbound', 'delivery.state': { $in: ['sent', 'failed'] }, 'slack.ts': { $exists: true }, createdAt: window,
      'delivery.report.lineTs': { $exists: false },
      $or: [{ 'delivery.report.lineStartedAt': { $exists: false } }, { 'delivery.report.lineStartedAt': { $lte: stale } }],
    });
  }
  const messages = await MessageModel.find({ $or: branches }, { direction: 1, conversationId: 1, delivery: 1 }).lean();
  // a query of its own: these match the reply branches too, and must not re-queue a delivery that waits for its retry
  const agentLines = o.slack
    ? await MessageModel.find({ direction: { $in: ['outbound', 'note'] }, origin: { $exists: true }, createdAt: window, ...unposted(stale) }, { _id: 1 }).lean()
    : [];
  const finished = (m: (typeof messages)[number]) => m.delivery?.state === 'sent' || m.delivery?.state === 'failed';

  const pending = conversations.filter((c) => c.routingPending === true);
  return {
    unrouted: pending.map((c) => ({
      conversationId: c._id, department: c.department, at: c.firstMessageAt,
      ...(c.blocked === true ? { blocked: true } : {}), ...(c.needsReply === false ? { needsReply: false } : {}),
    })),
    cards: conversations.filter((c) => c.routingPending !== true && wantsCard(c) && o.slack?.hasChannel(c.department)).map((c) => String(c._id)),
    followUps: await followUpsOf(messages.filter((m) => m.direction === 'inbound')),
    replies: messages.filter((m) => m.direction === 'outbound' && !finished(m)).map((m) => String(m._id)),
    reports: messages.filter((m) => m.direction === 'outbound' && finished(m)).map((m) => String(m._id)),
    agentLines: agentLines.map((m) => String(m._id)),
  };
}

/**
 * The unposted inbound messages that are follow-ups: in a conversation with its card, and not the message the card
 * shows. A first message found here (stored before cards marked it) is marked with its card, so it is asked once.
 */
async function followUpsOf(candidates: Array<{ _id: Types.ObjectId; conversationId: Types.ObjectId }>): Promise<string[]> {
  if (candidates.length === 0) return [];
  const ids = [...new Set(candidates.map((m) => String(m.conversationId)))];
  const carded = await ConversationModel.find({ _id: { $in: ids }, 'slack.ts': { $exists: true } }, { firstMessageId: 1, slack: 1 }).lean();
  const firstOf = new Map<string, string>();
  for (const c of carded) {
    const first = c.firstMessageId ? String(c.firstMessageId) : await earliestInbound(c._id);
    firstOf.set(String(c._id), first);
    if (candidates.some((m) => String(m._id) === first)) await MessageModel.updateOne({ _id: first }, { $set: { slack: c.slack } });
  }
  return candidates.filter((m) => firstOf.has(String(m.conversationId)) && firstOf.get(String(m.conversationId)) !== String(m._id)).map((m) => String(m._id));
}

/** Conversations stored before `firstMessageId` existed: their card shows the earliest inbound message. */
async function earliestInbound(conversationId: Types.ObjectId): Promise<string> {
  const first = await MessageModel.findOne({ conversationId, direction: 'inbound' }, { _id: 1 }).sort({ sentAt: 1, _id: 1 }).lean();
  return String(first?._id);
}

/** Queues every unfinished item again; the outbox's jobs are one per item, and each posts at most once. */
export async function reconcile(
  found: Unfinished,
  deps: { outbox: Outbox; announce: (conversation: Unrouted) => Promise<void> },
): Promise<void> {
  for (const conversation of found.unrouted) await deps.announce(conversation);
  for (const id of found.cards) await deps.outbox.conversationRouted(id);
  for (const id of found.followUps) await deps.outbox.followUpStored(id);
  for (const id of found.replies) await deps.outbox.replyQueued(id);
  for (const id of found.reports) await deps.outbox.replyFinished(id);
  for (const id of found.agentLines) await deps.outbox.agentMessageWritten(id);
}
