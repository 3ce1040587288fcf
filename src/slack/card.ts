import { TRIAGE } from '../domain/department';
import { runnerUp } from '../routing/runner-up';
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
    // in triage the model's own pick is named, so its close second has something to be second to
    guess: c.department === TRIAGE && c.routing.label ? directory.name(c.routing.label) : null,
    runnerUp: runnerUpOf(c, directory),
    firstResponseDueAt: c.sla && !c.sla.firstResponseAt ? (c.sla.firstResponseDueAt ?? undefined) : undefined,
    status: c.status,
    assigneeName: c.assignee?.name,
    productFeedback: c.productFeedback,
    ...(c.needsReply === false ? { needsReply: false, noReplyScore: c.reply?.score } : {}),
    ...(c.blocked ? { blocked: true } : {}),
    ...(first?.subject ? { subject: first.subject } : {}),
    ...(first?.attachments?.length ? { attachments: first.attachments } : {}),
  };
}

/** The model's close second choice among the departments in force, with its name; none when it is far behind. */
function runnerUpOf(c: StoredConversation, directory: DepartmentDirectory): ConversationCard['runnerUp'] {
  const second = runnerUp(c.routing.scores, { label: c.routing.label, inForce: (key) => directory.get(key) !== undefined });
  return second ? { ...second, name: directory.name(second.department) } : null;
}
