import type { Types } from 'mongoose';
import { crashPoint } from '../domain/crash';
import type { ReplyCheck } from '../domain/classification';
import type { RoutingDecision } from '../domain/conversation';
import type { InboundMessage } from '../domain/message';
import type { Router } from '../routing/router';
import { compact, insertNew } from '../store/bulk';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { RoutingEventModel } from '../store/models/routing-event';
import { recentCorrectionsFor } from '../store/repositories/corrections';
import type { IngestItemResult, NewConversation, PipelineDeps } from './pipeline';
import { classifiedText, latestOf, messageDoc, planBatch, type PlannedMessage } from './plan';
import { BLOCKED_DECISION, heardOf, screenBatch, screenFields, screenOpener, timed, type ConversationScreen, type Screening } from './screen';

/** What a batch's writes did, in batch order, and the outbox work they owe. */
export interface StoredBatch {
  results: IngestItemResult[];
  opened: NewConversation[];
  followUps: FollowUp[];
}

export interface FollowUp {
  messageId: string;
  conversationId: Types.ObjectId;
  at: Date;
  /** its conversation needs no reply: the detector's view of this message, which may change that */
  quiet?: { reply?: ReplyCheck };
}

/** What this call has written so far, so a failure part-way can take back exactly that. */
export interface BatchLedger {
  messages: Types.ObjectId[];
  conversations: Types.ObjectId[];
  /** conversations that existed before → the external ids counted into them */
  joined: Map<string, string[]>;
}

export const emptyLedger = (): BatchLedger => ({ messages: [], conversations: [], joined: new Map() });

interface Existing {
  firstMessageId?: Types.ObjectId | null;
  needsReply?: boolean | null;
  blocked?: boolean | null;
}

/**
 * A batch in a few bulk writes: messages (unordered insertMany, the unique `_id` is the dedupe), new conversations
 * with their routing decided in memory beforehand, their routing events, then one bulkWrite of the counters of the
 * conversations it joined. A crash between two writes leaves what a redelivery or the sweep completes (README).
 */
export async function storeBatch(
  messages: InboundMessage[],
  router: Router,
  ledger: BatchLedger,
  openingSla?: PipelineDeps['openingSla'],
): Promise<StoredBatch> {
  const plan = planBatch(messages);
  const now = new Date();
  // screening (blocked senders, no reply needed) is its own step: one query for the whole batch, beside the lookup
  const [existing, screening] = await Promise.all([existingConversations([...plan.byConversation.keys()]), screenBatch(plan.unique)]);
  const decisions = new Map<string, RoutingDecision>();
  const openers = [...plan.byConversation].flatMap(([key, members]) => (!existing.has(key) && members[0] ? [{ key, opener: members[0] }] : []));
  const corrections = await recentCorrectionsFor(openers.map((o) => o.opener.message));
  const screens = new Map(openers.map(({ key, opener }, i) => [key, screenOpener(opener, screening, router, corrections[i])]));
  openers.forEach(({ key, opener: { message } }, i) =>
    decisions.set(key, screens.get(key)?.blocked ? BLOCKED_DECISION : router.route(classifiedText(message), message.author, corrections[i], message.departmentHint)));

  const written = await insertNew(MessageModel, plan.unique.map((p) => ({ ...messageDoc(p, now), ...(screening.blocked.has(String(p.messageId)) ? { blocked: true } : {}) })));
  const inserted = new Set(plan.unique.filter((_, i) => written.inserted[i]).map((p) => String(p.messageId)));
  ledger.messages.push(...plan.unique.filter((p) => inserted.has(String(p.messageId))).map((p) => p.messageId));
  if (written.failure !== undefined) throw written.failure;
  if (inserted.size > 0) crashPoint('after-message-stored');

  const opened = await openConversations(plan.byConversation, decisions, { screens, screening }, ledger, now, openingSla);
  // a conversation another request created since we looked is joined like one that was there
  const raced = [...decisions.keys()].filter((key) => !opened.has(key));
  for (const [key, value] of await existingConversations(raced)) existing.set(key, value);
  if (opened.size > 0) crashPoint('after-conversation-stored');

  const joiners = new Map<string, PlannedMessage[]>();
  for (const [key, members] of plan.byConversation) {
    const first = existing.get(key)?.firstMessageId;
    // the message that opened it (a repairing retry of it won the race) is no follow-up of it
    const joining = members.filter((p) => inserted.has(String(p.messageId)) && (!first || String(first) !== String(p.messageId)));
    if (existing.has(key) && joining.length > 0) joiners.set(key, joining);
  }
  await joinConversations(joiners, ledger, { screening, existing });
  if (joiners.size > 0) crashPoint('after-followup-stored');

  return outcome(plan.all, plan.byConversation, opened, joiners, existing, { screening, screens, router });
}

async function existingConversations(ids: string[]): Promise<Map<string, Existing>> {
  if (ids.length === 0) return new Map();
  const found = await ConversationModel.find({ _id: { $in: ids } }, { firstMessageId: 1, needsReply: 1, blocked: 1 }).lean();
  return new Map(found.map((c) => [String(c._id), { firstMessageId: c.firstMessageId, needsReply: c.needsReply, blocked: c.blocked }]));
}

/** Inserts the conversations that did not exist, counting every message of theirs in the batch; returns those it created. */
async function openConversations(
  byConversation: Map<string, PlannedMessage[]>,
  decisions: Map<string, RoutingDecision>,
  { screens, screening }: { screens: Map<string, ConversationScreen>; screening: Screening },
  ledger: BatchLedger,
  now: Date,
  openingSla: PipelineDeps['openingSla'],
): Promise<Map<string, RoutingDecision>> {
  const keys = [...decisions.keys()];
  const docs = keys.map((key) => {
    const members = byConversation.get(key) ?? [];
    const opener = members[0] as PlannedMessage;
    const decision = decisions.get(key) as RoutingDecision;
    const { message } = opener;
    const heard = heardOf(members, screening);
    return {
      _id: opener.conversationId,
      channel: message.channel,
      account: message.account,
      threadKey: message.threadKey,
      kind: message.kind,
      customer: message.author,
      preview: message.text.slice(0, 280),
      department: decision.department,
      triaged: decision.method === 'triage',
      routing: { method: decision.method, label: decision.label, confidence: decision.confidence, scores: decision.scores, lang: decision.lang, terms: decision.terms ?? [], rule: decision.rule },
      status: 'open',
      firstMessageAt: message.createdAt,
      ...latestOf(heard.length > 0 ? heard : members),
      messageCount: members.length,
      firstMessageId: opener.messageId,
      // the clocks start with the insert: one write less per conversation than the hook's read and update
      ...(openingSla && timed(screens.get(key)) ? { sla: openingSla(decision.department, message.createdAt) } : {}),
      productFeedback: false,
      ...screenFields(screens.get(key)),
      createdAt: now,
      updatedAt: now,
      __v: 0,
    };
  });
  const written = await insertNew(ConversationModel, docs);
  const opened = new Map(keys.filter((_, i) => written.inserted[i]).map((key) => [key, decisions.get(key) as RoutingDecision]));
  ledger.conversations.push(...docs.filter((_, i) => written.inserted[i]).map((d) => d._id));
  if (written.failure !== undefined) throw written.failure;
  if (opened.size === 0) return opened;
  await RoutingEventModel.insertMany(
    [...opened].map(([key, decision]) => compact({
      conversationId: byConversation.get(key)?.[0]?.conversationId,
      to: decision.department,
      method: decision.method,
      actor: decision.method === 'rule' ? 'rule' : 'classifier',
      reason: decision.rule ? `new conversation; rule: ${decision.rule}` : 'new conversation',
      confidence: decision.confidence,
      createdAt: now,
      __v: 0,
    })),
    { lean: true },
  );
  return opened;
}

/**
 * One ordered bulkWrite: each joined conversation counts its new messages and a customer's message reopens it. A
 * blocked sender's message is counted only: it reopens nothing and is not what an agent's reply answers, and nothing
 * reopens a blocked conversation.
 */
async function joinConversations(
  joiners: Map<string, PlannedMessage[]>,
  ledger: BatchLedger,
  { screening, existing }: { screening: Screening; existing: Map<string, Existing> },
): Promise<void> {
  if (joiners.size === 0) return;
  const ops: Array<Parameters<typeof ConversationModel.bulkWrite>[0][number]> = [];
  const opOwner: string[] = [];
  const now = new Date();
  for (const [key, members] of joiners) {
    const heard = heardOf(members, screening);
    const { lastMessageAt, lastInbound } = heard.length > 0 ? latestOf(heard) : {};
    // $max on { at, externalId }: of two batches joining at once, the later message is what a reply answers
    const latest = lastMessageAt === undefined ? {} : { $max: { lastMessageAt, ...(lastInbound ? { lastInbound } : {}) } };
    ops.push({ updateOne: { filter: { _id: key }, update: { $inc: { messageCount: members.length }, ...latest } } });
    opOwner.push(key);
    if (lastInbound === undefined || existing.get(key)?.blocked === true) continue;
    ops.push({
      updateOne: { filter: { _id: key, status: 'resolved' }, update: { $set: { status: 'open', reopenedAt: now }, $unset: { resolvedAt: 1 } } },
    });
    opOwner.push('');
  }
  try {
    await ConversationModel.bulkWrite(ops, { ordered: true });
  } catch (err) {
    // ordered: the writes before the first failed one were applied, and only those need taking back
    const failedAt = (err as { writeErrors?: Array<{ index: number }> }).writeErrors?.[0]?.index ?? 0;
    recordJoined(opOwner.slice(0, failedAt), joiners, ledger);
    throw err;
  }
  recordJoined(opOwner, joiners, ledger);
}

function recordJoined(owners: string[], joiners: Map<string, PlannedMessage[]>, ledger: BatchLedger): void {
  for (const key of owners) if (key) ledger.joined.set(key, (joiners.get(key) ?? []).map((p) => p.message.externalId));
}

/** Each batch position's outcome, the conversations opened and the customer follow-ups stored. */
function outcome(
  all: PlannedMessage[],
  byConversation: Map<string, PlannedMessage[]>,
  opened: Map<string, RoutingDecision>,
  joiners: Map<string, PlannedMessage[]>,
  existing: Map<string, Existing>,
  { screening, screens, router }: { screening: Screening; screens: Map<string, ConversationScreen>; router: Router },
): StoredBatch {
  const stored = new Set<string>();
  const openers = new Set<string>();
  const created: NewConversation[] = [];
  for (const [key, decision] of opened) {
    const members = byConversation.get(key) ?? [];
    for (const p of members) stored.add(String(p.messageId));
    const opener = members[0] as PlannedMessage;
    openers.add(String(opener.messageId));
    const screen = screens.get(key);
    created.push({ conversationId: opener.conversationId, department: decision.department, at: opener.message.createdAt, blocked: screen?.blocked, needsReply: screen?.reply?.needed });
  }
  for (const members of joiners.values()) for (const p of members) stored.add(String(p.messageId));
  const emitted = new Set<string>();
  const results: IngestItemResult[] = [];
  const followUps: FollowUp[] = [];
  for (const p of all) {
    const id = String(p.messageId);
    // a repeat inside the batch is the duplicate of its first occurrence
    const isStored = stored.has(id) && !emitted.has(id);
    if (isStored) emitted.add(id);
    const isOpener = isStored && openers.has(id);
    const department = isOpener ? opened.get(String(p.conversationId))?.department : undefined;
    results.push({ externalId: p.message.externalId, outcome: isStored ? 'stored' : 'duplicate', conversationId: String(p.conversationId), department });
    const was = existing.get(String(p.conversationId));
    // a blocked sender's message, or one in a blocked conversation, is stored and nothing more
    if (isStored && !isOpener && !p.message.fromSelf && !screening.blocked.has(id) && was?.blocked !== true) {
      // in a conversation that needed no reply, the detector decides whether this message changes that
      const quiet = was?.needsReply === false ? { quiet: { reply: router.checkReply(classifiedText(p.message)) } } : {};
      followUps.push({ messageId: id, conversationId: p.conversationId, at: p.message.createdAt, ...quiet });
    }
  }
  // announced (and so posted in Slack threads) in the order the customers wrote them; sort is stable among equal times
  followUps.sort((a, b) => a.at.getTime() - b.at.getTime());
  return { results, opened: created, followUps };
}
