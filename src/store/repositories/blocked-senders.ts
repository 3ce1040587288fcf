import { Types } from 'mongoose';
import type { Author } from '../../domain/message';
import { insertOnce } from '../connection';
import { blockedSenderIdFor } from '../ids';
import { BlockedSenderModel } from '../models/blocked-sender';
import { ConversationModel } from '../models/conversation';
import { escapeRegex } from './conversations';

export interface SenderRef {
  channel: string;
  authorId?: string;
  handle?: string;
}

export interface BlockedSender extends SenderRef {
  id: string;
  name?: string;
  reason?: string;
  by: string;
  createdAt?: Date;
}

const normalHandle = (handle: string): string => handle.trim().replace(/^@/, '').toLowerCase();

/** What a sender is matched by: its channel with its author id, and with its handle (any case, with or without @). */
export function senderKeys(channel: string, author: Pick<Author, 'id' | 'handle'>): string[] {
  const keys: string[] = [];
  if (author.id) keys.push(`${channel}:id:${author.id}`);
  if (author.handle && normalHandle(author.handle)) keys.push(`${channel}:handle:${normalHandle(author.handle)}`);
  return keys;
}

/** Which of `messages` come from a blocked sender, by position, in one query for the whole batch. */
export async function blockedAmong(messages: ReadonlyArray<{ channel: string; author: Author }>): Promise<boolean[]> {
  const keysOf = messages.map((m) => senderKeys(m.channel, m.author));
  const all = [...new Set(keysOf.flat())];
  if (all.length === 0) return messages.map(() => false);
  const found = await BlockedSenderModel.find({ keys: { $in: all } }, { keys: 1 }).lean();
  const blocked = new Set(found.flatMap((b) => b.keys));
  return keysOf.map((keys) => keys.some((k) => blocked.has(k)));
}

function present(b: { _id: unknown; channel: string; authorId?: string | null; handle?: string | null; name?: string | null; reason?: string | null; by: string; createdAt?: Date | null }): BlockedSender {
  return {
    id: String(b._id), channel: b.channel, by: b.by,
    ...(b.authorId ? { authorId: b.authorId } : {}), ...(b.handle ? { handle: b.handle } : {}),
    ...(b.name ? { name: b.name } : {}), ...(b.reason ? { reason: b.reason } : {}), ...(b.createdAt ? { createdAt: b.createdAt } : {}),
  };
}

/**
 * Adds a sender to the list (once: a sender already matched by one of its keys is returned as it is; two adds of
 * one sender at once meet on the `_id` derived from its keys, and the second returns the first's entry).
 */
export async function addBlockedSender(sender: SenderRef & { name?: string; reason?: string }, by: string): Promise<{ sender: BlockedSender; created: boolean }> {
  const handle = sender.handle ? normalHandle(sender.handle) : undefined;
  const keys = senderKeys(sender.channel, { id: sender.authorId, handle });
  if (keys.length === 0) throw new Error('a blocked sender needs an author id or a handle');
  const existing = await BlockedSenderModel.findOne({ keys: { $in: keys } }).lean();
  if (existing) return { sender: present(existing), created: false };
  const _id = blockedSenderIdFor(keys);
  const doc = new BlockedSenderModel({ _id, channel: sender.channel, authorId: sender.authorId, handle, name: sender.name, reason: sender.reason, by, keys });
  if (await insertOnce(() => doc.save())) return { sender: present(doc.toObject()), created: true };
  // the twin's entry; absent only when unblocked again meanwhile, and then the list holds none, as after any unblock
  const twin = await BlockedSenderModel.findById(_id).lean();
  return { sender: present(twin ?? doc.toObject()), created: false };
}

export async function listBlockedSenders(): Promise<BlockedSender[]> {
  return (await BlockedSenderModel.find({}).sort({ createdAt: -1, _id: -1 }).lean()).map(present);
}

/** Removes a sender by its id, or by `channel:handle` / a handle, with every entry matching it; later messages are routed again. */
export async function removeBlockedSender(idOrHandle: string): Promise<BlockedSender | 'not_found' | 'ambiguous'> {
  const filter = Types.ObjectId.isValid(idOrHandle) && /^[0-9a-f]{24}$/.test(idOrHandle)
    ? { _id: idOrHandle }
    : idOrHandle.includes(':')
      ? { keys: `${idOrHandle.slice(0, idOrHandle.indexOf(':'))}:handle:${normalHandle(idOrHandle.slice(idOrHandle.indexOf(':') + 1))}` }
      : { handle: normalHandle(idOrHandle) };
  const found = await BlockedSenderModel.find(filter).limit(10).lean();
  const first = found[0];
  if (!first) return 'not_found';
  if (!found.every((b) => b.keys.some((k) => first.keys.includes(k)))) return 'ambiguous';
  // entries sharing a key are one sender blocked twice at once (two agents): unblocked together, or it stays blocked
  await BlockedSenderModel.deleteMany({ keys: { $in: first.keys } });
  return present(first);
}

/** Marks the sender's conversations that are not resolved as blocked; returns their ids (their clocks and cards follow). */
export async function markSenderConversations(sender: SenderRef): Promise<string[]> {
  const who = [
    ...(sender.authorId ? [{ 'customer.id': sender.authorId }] : []),
    // handles are stored as the channel writes them (X: @Name): any case, with or without the @
    ...(sender.handle ? [{ 'customer.handle': new RegExp(`^@?${escapeRegex(normalHandle(sender.handle))}$`, 'i') }] : []),
  ];
  if (who.length === 0) return [];
  const filter = { channel: sender.channel, status: { $ne: 'resolved' as const }, blocked: { $ne: true }, $or: who };
  const ids = (await ConversationModel.find(filter, { _id: 1 }).lean()).map((c) => c._id);
  if (ids.length > 0) await ConversationModel.updateMany({ _id: { $in: ids } }, { $set: { blocked: true } });
  return ids.map(String);
}
