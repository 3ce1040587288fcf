import crypto from 'node:crypto';
import type { Types } from 'mongoose';
import type { ActionEffects, Actor } from '../actions/types';
import { recordAction } from '../audit/record';
import { t, type Locale } from '../i18n';
import { BlockedSenderModel } from '../store/models/blocked-sender';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { PendingSlackReplyModel } from '../store/models/pending-slack-reply';
import { RoutingEventModel } from '../store/models/routing-event';
import { SlackThreadModel } from '../store/models/slack-thread';
import { TrainingExampleModel } from '../store/models/training-example';
import { senderKeys } from '../store/repositories/blocked-senders';
import { escapeRegex } from '../store/repositories/conversations';

export interface CustomerRef {
  channel: string;
  authorId?: string;
  /** with or without @, any case */
  handle?: string;
}

export interface ErasureCounts {
  conversations: number;
  messages: number;
  trainingExamples: number;
  routingEvents: number;
  pendingSlackReplies: number;
  blockedSenders: number;
  slackCards: number;
}

export interface EraseDeps {
  /** redraws each erased conversation's Slack card (chat.update); absent without Slack (the CLI) */
  effects?: ActionEffects;
  /** the language of the text that replaces theirs (DEFAULT_LOCALE) */
  locale: Locale;
}

const normalHandle = (handle: string) => handle.trim().replace(/^@/, '').toLowerCase();

/** Matches a stored author (`customer` on a conversation, `author` on a message) by id or handle as channels write it. */
function whoIs(field: string, c: CustomerRef): Array<Record<string, unknown>> {
  return [
    ...(c.authorId ? [{ [`${field}.id`]: c.authorId }] : []),
    ...(c.handle ? [{ [`${field}.handle`]: new RegExp(`^@?${escapeRegex(normalHandle(c.handle))}$`, 'i') }] : []),
  ];
}

/** What the audit trail names the customer by: a hash, so the trail itself keeps no handle or id of theirs. */
export const customerTarget = (c: CustomerRef) => crypto.createHash('sha256').update(`${c.channel}:${c.authorId ?? ''}:${c.handle ? normalHandle(c.handle) : ''}`).digest('hex').slice(0, 16);

/**
 * Removes a customer's text and profile wherever it is stored: their messages (text replaced, author, link and raw
 * payload removed), their conversations (customer, preview, the model's words), the training examples made from
 * them, routing reasons, agents' replies still waiting for their card, the name on a block; their Slack cards are
 * redrawn. The feedback themes are computed from messages, so they follow. Idempotent: a second run finds nothing.
 */
export async function eraseCustomer(customer: CustomerRef, actor: Actor | string, deps: EraseDeps): Promise<ErasureCounts> {
  const erased = t(deps.locale, 'privacy.erased');
  const conversations = await ConversationModel.find({ channel: customer.channel, $or: whoIs('customer', customer) }, { _id: 1, account: 1, slack: 1 }).lean();
  const ids: Types.ObjectId[] = conversations.map((c) => c._id);
  const messages = await MessageModel.updateMany(
    { channel: customer.channel, direction: 'inbound', $or: whoIs('author', customer) },
    { $set: { text: erased, author: {} }, $unset: { rawJson: 1, url: 1 } },
  );
  if (ids.length > 0) await ConversationModel.updateMany({ _id: { $in: ids } }, { $set: { customer: {}, preview: erased, 'routing.terms': [] } });
  const who = [customer.authorId, customer.handle && normalHandle(customer.handle)].filter((w): w is string => Boolean(w));
  const customerKeys = [...new Set(conversations.flatMap((c) => who.map((w) => `${customer.channel}:${c.account}:${w}`)))];
  const examples = await TrainingExampleModel.deleteMany({ $or: [{ conversationId: { $in: ids } }, { customerKey: { $in: customerKeys } }] });
  const routing = ids.length > 0 ? await RoutingEventModel.updateMany({ conversationId: { $in: ids }, method: 'manual', reason: { $exists: true } }, { $unset: { reason: 1 } }) : { modifiedCount: 0 };
  // every card the conversation had (a move posts a new one): agents' replies may wait under any of them
  const cardsOf = ids.length > 0 ? await SlackThreadModel.find({ conversationId: { $in: ids } }, { _id: 1 }).lean() : [];
  const threads = cardsOf.map((t) => ({ channel: t._id.slice(0, t._id.indexOf(':')), threadTs: t._id.slice(t._id.indexOf(':') + 1) }));
  const pending = threads.length > 0 ? await PendingSlackReplyModel.deleteMany({ $or: threads }) : { deletedCount: 0 };
  // the block stays (its keys match their next message); what names or describes them goes
  const blocked = await BlockedSenderModel.updateMany(
    { keys: { $in: senderKeys(customer.channel, { id: customer.authorId, handle: customer.handle && normalHandle(customer.handle) }) }, $or: [{ name: { $exists: true } }, { reason: { $exists: true } }] },
    { $unset: { name: 1, reason: 1 } },
  );
  let cards = 0;
  const by = typeof actor === 'string' ? { id: actor, name: actor } : actor;
  for (const c of conversations) {
    if (!c.slack?.ts || !deps.effects?.changed) continue;
    await deps.effects.changed(String(c._id), by);
    cards += 1;
  }
  const counts: ErasureCounts = {
    conversations: ids.length,
    messages: messages.modifiedCount,
    trainingExamples: examples.deletedCount,
    routingEvents: routing.modifiedCount,
    pendingSlackReplies: pending.deletedCount,
    blockedSenders: blocked.modifiedCount,
    slackCards: cards,
  };
  await recordAction({ actor: by, action: 'customer.erased', target: { kind: 'customer', id: customerTarget(customer) }, details: { channel: customer.channel, ...counts } });
  return counts;
}
