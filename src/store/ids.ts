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
