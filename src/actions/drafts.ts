import type { Types } from 'mongoose';
import type { ReplyPolicy } from '../domain/department';
import { replyLength } from '../outbound/limits';
import { outboundReplyOf } from '../outbound/reply';
import { insertOnce } from '../store/connection';
import { messageIdFor } from '../store/ids';
import { recordAction } from '../audit/record';
import { ConversationModel } from '../store/models/conversation';
import { DraftModel, type DraftDoc } from '../store/models/draft';
import { writeToConversation } from './messages';
import type { ActionDeps, Actor } from './types';

export type StoredDraft = DraftDoc & { _id: Types.ObjectId; createdAt?: Date };
export type DraftActivity = 'draft' | 'draft-sent' | 'draft-approved' | 'draft-rejected' | 'draft-discarded' | 'refused';

/** The one place the draft actions and refusals are recorded: each an Activity and an audit record (recordAction). */
export async function noteDraftAction(conversationId: Types.ObjectId | string, type: DraftActivity, actor: Actor, details: Record<string, unknown> = {}): Promise<void> {
  const { before, after, ...rest } = details;
  const edit = before === undefined ? {} : { before: { text: before }, after: { text: after } };
  await recordAction({ conversationId, type, actor: actor.id, details: { name: actor.name, ...rest }, ...edit });
}

export interface DraftInput {
  conversation: { _id: Types.ObjectId; department: string };
  policy: Exclude<ReplyPolicy, 'direct'>;
  text: string;
  /** the agent's message key (`slack:C:ts`, `api:…`): the same key is the same draft, and later the same reply */
  key: string;
  actor: Actor & { userId: string };
  slack?: { channel: string; ts: string; threadTs: string; userId: string };
  origin?: 'inbox' | 'api';
}

export const draftIdFor = (conversationId: Types.ObjectId, key: string): Types.ObjectId => messageIdFor({ channel: 'draft', account: String(conversationId), externalId: key });

/** Holds a reply back as a draft, once per key: `created` false means it was held before (a redelivered event). */
export async function createDraft(d: DraftInput): Promise<{ draft: StoredDraft; created: boolean }> {
  const _id = draftIdFor(d.conversation._id, d.key);
  const created = await insertOnce(() =>
    DraftModel.create({
      _id, key: d.key, conversationId: d.conversation._id, department: d.conversation.department, policy: d.policy, state: 'pending',
      text: d.text.trim(), author: { id: d.actor.id, name: d.actor.name, userId: d.actor.userId }, slack: d.slack, origin: d.origin,
    }),
  );
  const draft = (await DraftModel.findById(_id).lean()) as StoredDraft | null;
  if (!draft) throw new Error(`draft ${String(_id)} is gone`);
  if (created) await noteDraftAction(d.conversation._id, 'draft', d.actor, { draftId: String(_id), policy: d.policy });
  return { draft, created };
}

/** What the channel would make of the text: its length against the limit, and whether X would refuse it as a reply. */
export interface DraftCheck {
  length: number;
  limit: number;
  tooLong: boolean;
  /** X takes a reply only to a post that mentions or quotes our account (src/outbound delivers it `failed` otherwise) */
  replyNotAllowed: boolean;
}

export async function checkDraft(conversationId: unknown, text: string): Promise<DraftCheck> {
  const c = await ConversationModel.findById(conversationId, { channel: 1, account: 1, threadKey: 1, kind: 1, lastInbound: 1, lastInboundExternalId: 1, customer: 1 }).lean();
  if (!c) return { length: 0, limit: 0, tooLong: true, replyNotAllowed: false };
  const { length, limit } = replyLength(c.channel, c.kind, text);
  const reply = await outboundReplyOf({ _id: 'preview', text }, c);
  return { length, limit, tooLong: length > limit, replyNotAllowed: c.channel === 'x' && reply.kind !== 'dm' && reply.inReplyToMentionsAccount === false };
}

export type DraftOutcome =
  | { outcome: 'sent'; draft: StoredDraft; messageId: Types.ObjectId }
  | { outcome: 'rejected' | 'discarded'; draft: StoredDraft }
  | { outcome: 'not_found' }
  | { outcome: 'decided'; draft: StoredDraft }
  | { outcome: 'own_draft' | 'not_author' | 'wrong_policy'; draft: StoredDraft }
  | { outcome: 'too_long'; draft: StoredDraft; check: DraftCheck };

async function load(id: string): Promise<StoredDraft | null> {
  if (!/^[0-9a-f]{24}$/.test(id)) return null;
  return (await DraftModel.findById(id).lean());
}

/**
 * Sends a draft: `confirm` by its author (Send), `approval` by someone else (approve, or edit-and-approve with `text`).
 * The switch from pending is one conditional update, so a double click or a second approver sends nothing more; the
 * reply is keyed by the draft's key, so a retry after a crash between the two writes queues it once.
 */
export async function sendDraft(id: string, actor: Actor, deps: Pick<ActionDeps, 'outbox'>, edited?: string): Promise<DraftOutcome> {
  const draft = await load(id);
  if (!draft) return { outcome: 'not_found' };
  if (draft.policy === 'approval' && draft.author.id === actor.id) return { outcome: 'own_draft', draft };
  if (draft.policy === 'confirm' && draft.author.id !== actor.id) return { outcome: 'not_author', draft };
  if (draft.policy === 'confirm' && edited !== undefined) return { outcome: 'wrong_policy', draft };
  const text = (edited ?? draft.text).trim();
  const check = await checkDraft(draft.conversationId, text);
  if (draft.state === 'pending' && check.tooLong) return { outcome: 'too_long', draft, check };
  const decision = { by: actor.id, name: actor.name, at: new Date(), edited: edited !== undefined && text !== draft.text };
  let current = (await DraftModel.findOneAndUpdate({ _id: draft._id, state: 'pending' }, { $set: { state: 'sent', text, decision } }, { returnDocument: 'after' }).lean()) as StoredDraft | null;
  if (current) {
    const type = draft.policy === 'approval' ? 'draft-approved' : 'draft-sent';
    await noteDraftAction(draft.conversationId, type, actor, { draftId: id, ...(decision.edited ? { edited: true, before: draft.text, after: text } : {}) });
  } else {
    current = await load(id);
    // only the decider's own retry of an unfinished send goes on
    if (!current || current.state !== 'sent' || current.messageId || current.decision?.by !== actor.id) return { outcome: 'decided', draft: current ?? draft };
  }
  const conversation = await ConversationModel.findById(draft.conversationId, { channel: 1, account: 1, kind: 1 }).lean();
  if (!conversation) return { outcome: 'not_found' };
  const author = { id: draft.author.id ?? actor.id, name: draft.author.name ?? actor.name, userId: draft.author.userId ?? actor.id };
  const slack = draft.slack?.channel && draft.slack.ts ? { channel: draft.slack.channel, ts: draft.slack.ts, userId: draft.slack.userId ?? '' } : undefined;
  const stored = await writeToConversation(
    { conversation: { ...conversation, kind: conversation.kind }, text: current.text, key: draft.key, actor: author, note: false, slack, origin: draft.origin ?? undefined },
    deps,
  );
  await DraftModel.updateOne({ _id: draft._id }, { $set: { messageId: stored.id } });
  return { outcome: 'sent', draft: { ...current, messageId: stored.id }, messageId: stored.id };
}

/** An approver's no, with the reason the author is told; the author may not reject their own (they discard it). */
export async function rejectDraft(id: string, actor: Actor, reason: string): Promise<DraftOutcome> {
  const draft = await load(id);
  if (!draft) return { outcome: 'not_found' };
  if (draft.policy !== 'approval') return { outcome: 'wrong_policy', draft };
  if (draft.author.id === actor.id) return { outcome: 'own_draft', draft };
  const decision = { by: actor.id, name: actor.name, at: new Date(), reason: reason.trim() };
  const done = (await DraftModel.findOneAndUpdate({ _id: draft._id, state: 'pending' }, { $set: { state: 'rejected', decision } }, { returnDocument: 'after' }).lean()) as StoredDraft | null;
  if (!done) return { outcome: 'decided', draft };
  await noteDraftAction(draft.conversationId, 'draft-rejected', actor, { draftId: id, reason: decision.reason });
  return { outcome: 'rejected', draft: done };
}

/** The author takes their draft back (Discard under a `confirm` preview, or withdrawing one that waits for approval). */
export async function discardDraft(id: string, actor: Actor): Promise<DraftOutcome> {
  const draft = await load(id);
  if (!draft) return { outcome: 'not_found' };
  if (draft.author.id !== actor.id) return { outcome: 'not_author', draft };
  const decision = { by: actor.id, name: actor.name, at: new Date() };
  const done = (await DraftModel.findOneAndUpdate({ _id: draft._id, state: 'pending' }, { $set: { state: 'discarded', decision } }, { returnDocument: 'after' }).lean()) as StoredDraft | null;
  if (!done) return { outcome: 'decided', draft };
  await noteDraftAction(draft.conversationId, 'draft-discarded', actor, { draftId: id });
  return { outcome: 'discarded', draft: done };
}

export async function draftsOf(conversationId: Types.ObjectId | string): Promise<StoredDraft[]> {
  return (await DraftModel.find({ conversationId }).sort({ createdAt: 1, _id: 1 }).limit(200).lean());
}
