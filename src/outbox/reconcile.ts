import type { Types } from 'mongoose';
import type { Outbox } from '../domain/outbox';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';

export interface ReconcileOptions {
  now: Date;
  /** younger work is still on its normal path (the hook runs right after the write) */
  graceMs: number;
  /** older work is not searched: turning Slack on must not post a year of cards */
  maxAgeMs: number;
  /** an attempt that began longer ago than a lease and left no result died with its process */
  staleMs: number;
  /** Slack is configured, and which departments have a channel */
  slack?: { hasChannel: (department: string) => boolean };
}

export interface Unrouted {
  conversationId: Types.ObjectId;
  department: string;
  at: Date;
}

/** Work a crash (or a job that gave up) left unfinished, as ids to queue again. */
export interface Unfinished {
  /** stored conversations whose hooks (SLA clock, card job) never ran */
  unrouted: Unrouted[];
  cards: string[];
  followUps: string[];
  replies: string[];
}

const notStartedSince = (before: Date) => ({ $or: [{ slackPostStartedAt: { $exists: false } }, { slackPostStartedAt: { $lte: before } }] });

/** Finds what should have happened after a write but did not; each kind is bounded by the grace and age window. */
export async function findUnfinished(o: ReconcileOptions): Promise<Unfinished> {
  const settled = new Date(o.now.getTime() - o.graceMs);
  const window = { $gte: new Date(o.now.getTime() - o.maxAgeMs), $lte: settled };
  const stale = new Date(o.now.getTime() - o.staleMs);
  const pending = await ConversationModel.find({ routingPending: true, createdAt: window }, { department: 1, firstMessageAt: 1 }).lean();
  const unrouted = pending.map((c) => ({ conversationId: c._id, department: c.department, at: c.firstMessageAt }));
  const replies = await stalledReplies(o.now, settled, stale);
  if (!o.slack) return { unrouted, cards: [], followUps: [], replies };

  const uncarded = await ConversationModel.find(
    { 'slack.ts': { $exists: false }, routingPending: { $ne: true }, createdAt: window, ...notStartedSince(stale) },
    { department: 1 },
  ).lean();
  const cards = uncarded.filter((c) => o.slack?.hasChannel(c.department)).map((c) => String(c._id));
  return { unrouted, cards, followUps: await unpostedFollowUps(window, stale), replies };
}

/** Inbound messages after the first of a conversation that has its card, with no Slack post recorded. */
async function unpostedFollowUps(window: { $gte: Date; $lte: Date }, stale: Date): Promise<string[]> {
  const messages = await MessageModel.find(
    { direction: 'inbound', 'slack.ts': { $exists: false }, createdAt: window, ...notStartedSince(stale) },
    { conversationId: 1 },
  ).lean();
  if (messages.length === 0) return [];
  const ids = [...new Set(messages.map((m) => String(m.conversationId)))];
  const conversations = await ConversationModel.find({ _id: { $in: ids }, 'slack.ts': { $exists: true } }, { firstMessageId: 1 }).lean();
  const firstOf = new Map<string, string>();
  for (const c of conversations) firstOf.set(String(c._id), c.firstMessageId ? String(c.firstMessageId) : await earliestInbound(c._id));
  return messages.filter((m) => firstOf.has(String(m.conversationId)) && firstOf.get(String(m.conversationId)) !== String(m._id)).map((m) => String(m._id));
}

/** Conversations stored before `firstMessageId` existed: their card shows the earliest inbound message. */
async function earliestInbound(conversationId: Types.ObjectId): Promise<string> {
  const first = await MessageModel.findOne({ conversationId, direction: 'inbound' }, { _id: 1 }).sort({ sentAt: 1, _id: 1 }).lean();
  return String(first?._id);
}

/**
 * Replies that should be moving but have no job doing it: queued and due (a retry whose job was lost), queued past
 * the grace period without ever being tried (the process died before queueing its job), or stuck in 'sending'.
 */
async function stalledReplies(now: Date, settled: Date, stale: Date): Promise<string[]> {
  const rows = await MessageModel.find(
    {
      direction: 'outbound',
      $or: [
        { 'delivery.state': 'queued', 'delivery.nextAttemptAt': { $lte: now } },
        { 'delivery.state': 'queued', 'delivery.nextAttemptAt': { $exists: false }, createdAt: { $lte: settled } },
        { 'delivery.state': 'sending', 'delivery.attemptStartedAt': { $lte: stale } },
      ],
    },
    { _id: 1 },
  ).lean();
  return rows.map((r) => String(r._id));
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
}
