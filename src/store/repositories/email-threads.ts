/** What the e-mail connector asks of the store: which conversation a Message-ID belongs to, and the mail a reply answers. */
import { Types } from 'mongoose';
import { messageIdFor } from '../ids';
import { ConversationModel } from '../models/conversation';
import { MessageModel } from '../models/message';

const CHANNEL = 'email';
// our replies' Message-IDs are <reply _id@domain> (connectors/email/send.ts)
const OUR_REPLY = /^<([0-9a-f]{24})@/;

/** Each Message-ID that names a stored mail of the account (the customer's, by externalId, or our reply, by _id) → its conversation's threadKey. */
export async function emailThreadKeys(account: string, messageIds: string[]): Promise<Map<string, string>> {
  const byDoc = new Map<string, string>();
  for (const id of messageIds) {
    byDoc.set(String(messageIdFor({ channel: CHANNEL, account, externalId: id })), id);
    const ours = OUR_REPLY.exec(id)?.[1];
    if (ours) byDoc.set(ours, id);
  }
  if (byDoc.size === 0) return new Map();
  const messages = await MessageModel.find({ _id: { $in: [...byDoc.keys()].map((k) => new Types.ObjectId(k)) }, channel: CHANNEL, account }, { conversationId: 1 }).lean();
  const conversations = await ConversationModel.find({ _id: { $in: [...new Set(messages.map((m) => String(m.conversationId)))] } }, { threadKey: 1 }).lean();
  const threadOf = new Map(conversations.map((c) => [String(c._id), c.threadKey]));
  const found = new Map<string, string>();
  for (const m of messages) {
    const key = threadOf.get(String(m.conversationId));
    const id = byDoc.get(String(m._id));
    if (key && id) found.set(id, key);
  }
  return found;
}

/** The stored mail a reply answers: its subject and the headers the reply threads under. */
export async function repliedEmail(account: string, messageId: string): Promise<{ subject?: string; references: string[]; replyTo?: string } | null> {
  const stored = await MessageModel.findById(messageIdFor({ channel: CHANNEL, account, externalId: messageId }), { subject: 1, rawJson: 1 }).lean();
  if (!stored) return null;
  let raw: { references?: unknown; replyTo?: unknown } = {};
  try {
    raw = stored.rawJson ? (JSON.parse(stored.rawJson) as typeof raw) : {};
  } catch {
    // an unreadable raw copy: the reply threads under the conversation's root instead
  }
  const references = Array.isArray(raw.references) ? raw.references.filter((r): r is string => typeof r === 'string') : [];
  return { ...(stored.subject ? { subject: stored.subject } : {}), references, ...(typeof raw.replyTo === 'string' ? { replyTo: raw.replyTo } : {}) };
}
