import type { StoredConversation } from '../store/models/conversation';
import type { MessageDoc } from '../store/models/message';
import type { ConversationCard } from './blocks';
import type { DepartmentDirectory } from './directory';

type Stored<T> = T & { _id: unknown };

/** What the Slack card shows of a stored conversation and its first message. */
export function cardOf(c: StoredConversation, first: Stored<MessageDoc> | null, directory: DepartmentDirectory): ConversationCard {
  return {
    id: String(c._id),
    channel: c.channel,
    kind: c.kind,
    customer: c.customer ?? {},
    text: first?.text ?? c.preview,
    url: first?.url,
    department: c.department,
    departmentName: directory.name(c.department),
    confidence: c.routing.confidence,
    terms: c.routing.terms,
    method: c.routing.method,
    firstResponseDueAt: c.sla && !c.sla.firstResponseAt ? (c.sla.firstResponseDueAt ?? undefined) : undefined,
    status: c.status,
    assigneeName: c.assignee?.name,
    productFeedback: c.productFeedback,
    ...(c.needsReply === false ? { needsReply: false, noReplyScore: c.reply?.score } : {}),
    ...(c.blocked ? { blocked: true } : {}),
  };
}
