import { MessageModel } from '../store/models/message';

/**
 * Replies that should be moving but have no job doing it: queued and due, or stuck in 'sending'
 * longer than a delivery lease (the process died mid-attempt).
 */
export async function stalledReplies(now: Date, staleMs: number): Promise<string[]> {
  const rows = await MessageModel.find(
    {
      direction: 'outbound',
      $or: [
        { 'delivery.state': 'queued', 'delivery.nextAttemptAt': { $lte: now } },
        { 'delivery.state': 'sending', 'delivery.attemptStartedAt': { $lte: new Date(now.getTime() - staleMs) } },
      ],
    },
    { _id: 1 },
  ).lean();
  return rows.map((r) => String(r._id));
}
