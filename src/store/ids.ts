import crypto from 'node:crypto';
import { Types } from 'mongoose';

/**
 * Ids derived from the natural keys, so dedupe and threading are single inserts on the unique `_id`
 * (no compound unique index, which DocumentDB makes slower as a collection grows).
 */
function derivedId(...parts: string[]): Types.ObjectId {
  const digest = crypto.createHash('sha256').update(parts.join('\u0000')).digest();
  return new Types.ObjectId(digest.subarray(0, 12));
}

export function messageIdFor(m: { channel: string; account: string; externalId: string }): Types.ObjectId {
  return derivedId('message', m.channel, m.account, m.externalId);
}

export function conversationIdFor(m: { channel: string; account: string; threadKey: string }): Types.ObjectId {
  return derivedId('conversation', m.channel, m.account, m.threadKey);
}

/** A resource billed on one UTC day: reads of one post or DM event share it, whatever their price. */
export function billedResourceIdFor(k: { channel: string; account: string; day: string; resource: string }): Types.ObjectId {
  return derivedId('billed', k.channel, k.account, k.day, k.resource);
}

export function usageDayIdFor(k: { channel: string; account: string; day: string }): Types.ObjectId {
  return derivedId('usage-day', k.channel, k.account, k.day);
}

export function spendWarningIdFor(k: { channel: string; account: string; month: string }): Types.ObjectId {
  return derivedId('spend-warning', k.channel, k.account, k.month);
}

/** A blocked-list entry, from the sender's keys: two agents blocking one sender at once make one entry. */
export function blockedSenderIdFor(keys: string[]): Types.ObjectId {
  return derivedId('blocked-sender', ...[...keys].sort());
}
