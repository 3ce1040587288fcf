import { ConversationModel } from '../models/conversation';
import { RoutingEventModel } from '../models/routing-event';

/** The newest routing decisions and corrections, each with its conversation's preview. */
export async function recentRoutingEvents(limit: number) {
  const events = await RoutingEventModel.find().sort({ _id: -1 }).limit(limit).lean();
  const conversations = new Map<string, { preview: string; terms: string[] }>();
  for (const id of new Set(events.map((e) => String(e.conversationId)))) {
    const c = await ConversationModel.findById(id, { preview: 1, 'routing.terms': 1 }).lean();
    conversations.set(id, { preview: c?.preview ?? '', terms: c?.routing?.terms ?? [] });
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
    preview: conversations.get(String(e.conversationId))?.preview ?? '',
    /** the words that weighed most in the model's decision */
    terms: e.method === 'manual' ? [] : (conversations.get(String(e.conversationId))?.terms ?? []),
  }));
}
