import { ConversationModel } from '../models/conversation';
import { RoutingEventModel } from '../models/routing-event';

export interface RoutingStats {
  total: number;
  byDepartment: Array<{ department: string; count: number; share: number }>;
  /** conversations the model sent to triage, wherever they are now */
  triage: { count: number; share: number };
  /** conversations the model or a rule sent to a department (not triage): how many stayed, how many people moved */
  automatic: { decided: number; right: number; moved: number; share: number | null };
  manualCorrections: number;
}

/** Conversations per department and triage share for conversations opened in [since, until). */
export async function routingStats(since?: Date, until?: Date): Promise<RoutingStats> {
  const range: Record<string, Date> = {};
  if (since) range.$gte = since;
  if (until) range.$lt = until;
  const match = Object.keys(range).length ? { firstMessageAt: range } : {};
  const rows = await ConversationModel.aggregate<{ _id: string; count: number }>([
    { $match: match },
    { $group: { _id: '$department', count: { $sum: 1 } } },
    { $sort: { _id: 1 } },
  ]);
  const total = rows.reduce((n, r) => n + r.count, 0);
  const share = (n: number) => (total === 0 ? 0 : n / total);
  // `triaged` marks the first decision, so the share holds after people route the queue
  const triageCount = await ConversationModel.countDocuments({ ...match, triaged: true });
  const decided = total - triageCount;
  // the first decision was a department and a person changed it since: that routing was wrong
  const moved = await ConversationModel.countDocuments({ ...match, triaged: { $ne: true }, 'routing.method': 'manual' });
  const eventMatch: Record<string, unknown> = Object.keys(range).length ? { method: 'manual', createdAt: range } : { method: 'manual' };
  return {
    total,
    byDepartment: rows.map((r) => ({ department: r._id, count: r.count, share: share(r.count) })),
    triage: { count: triageCount, share: share(triageCount) },
    automatic: { decided, right: decided - moved, moved, share: decided === 0 ? null : (decided - moved) / decided },
    manualCorrections: await RoutingEventModel.countDocuments(eventMatch),
  };
}
