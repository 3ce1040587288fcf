import { ConversationModel } from '../models/conversation';
import { RoutingEventModel } from '../models/routing-event';

/** The newest routing decisions and corrections, each with its conversation's preview. */
export async function recentRoutingEvents(limit: number) {
  const events = await RoutingEventModel.find().sort({ _id: -1 }).limit(limit).lean();
  const previews = new Map<string, string>();
  for (const id of new Set(events.map((e) => String(e.conversationId)))) {
    const c = await ConversationModel.findById(id, { preview: 1 }).lean();
    previews.set(id, c?.preview ?? '');
  }
  return events.map((e) => ({
    conversationId: String(e.conversationId),
    from: e.from ?? null,
    to: e.to,
    method: e.method,
    actor: e.actor,
    reason: e.reason ?? null,
    confidence: e.confidence ?? null,
    createdAt: e.createdAt,
    preview: previews.get(String(e.conversationId)) ?? '',
  }));
}
