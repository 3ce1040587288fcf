import type { Types } from 'mongoose';
import type { Author } from '../../domain/message';
import { NO_REPLY_LABEL, REPLY_LABEL, type RecentCorrection } from '../../domain/classification';
import { ConversationModel } from '../models/conversation';
import { MessageModel } from '../models/message';
import { TrainingExampleModel } from '../models/training-example';

/** how many of a customer's or thread's newest corrections routing compares a new message with */
const RECENT = 20;

interface Where {
  channel: string;
  account: string;
  threadKey: string;
  author?: Author;
}

/** Keys a correction is filed under: the customer (author id, else handle) and the thread, each within its channel account. */
export function correctionKeys(w: Where): { customerKey?: string; threadKey: string } {
  const who = w.author?.id ?? w.author?.handle?.trim().toLowerCase().replace(/^@/, '');
  return { ...(who ? { customerKey: `${w.channel}:${w.account}:${who}` } : {}), threadKey: `${w.channel}:${w.account}:${w.threadKey}` };
}

interface Corrected {
  _id: Types.ObjectId;
  channel: string;
  account: string;
  threadKey: string;
  routing?: { lang?: string | null };
}
interface CorrectedMessage {
  text: string;
  author?: { id?: string | null; handle?: string | null } | null;
}

/** The training example a person's correction of `message` in conversation `c` files: its text, language and keys. */
export function correctionDoc(c: Corrected, message: CorrectedMessage, label: string, actor: string) {
  const author = { id: message.author?.id ?? undefined, handle: message.author?.handle ?? undefined };
  return {
    text: message.text,
    label,
    lang: c.routing?.lang,
    source: 'correction' as const,
    conversationId: c._id,
    actor,
    ...correctionKeys({ channel: c.channel, account: c.account, threadKey: c.threadKey, author }),
  };
}

/** The newest corrections from this customer or in this thread, newest first (two indexed lookups). */
export async function recentCorrections(w: Where): Promise<RecentCorrection[]> {
  return (await recentCorrectionsFor([w]))[0] ?? [];
}

/** recentCorrections for each of a batch's places in one query: the answer's i-th list belongs to `wheres[i]`. */
export async function recentCorrectionsFor(wheres: Where[]): Promise<RecentCorrection[][]> {
  if (wheres.length === 0) return [];
  const keys = wheres.map((w) => correctionKeys(w));
  const threads = [...new Set(keys.map((k) => k.threadKey))];
  const customers = [...new Set(keys.flatMap((k) => (k.customerKey ? [k.customerKey] : [])))];
  const or: Array<Record<string, unknown>> = [{ threadKey: { $in: threads } }];
  if (customers.length > 0) or.push({ customerKey: { $in: customers } });
  const rows = await TrainingExampleModel.find({ source: 'correction', $or: or }, { text: 1, label: 1, actor: 1, task: 1, threadKey: 1, customerKey: 1 })
    .sort({ createdAt: -1, _id: -1 })
    .limit(RECENT * wheres.length)
    .lean();
  return keys.map(({ customerKey, threadKey }) =>
    rows
      .filter((r) => r.threadKey === threadKey || (customerKey !== undefined && r.customerKey === customerKey))
      .slice(0, RECENT)
      .map((r) => ({ text: r.text, label: r.label, ...(r.actor ? { actor: r.actor } : {}), ...(r.task ? { task: r.task } : {}) })),
  );
}

/**
 * An agent's verdict that a conversation needs a reply (label `reply`) or none (`none`), filed as a correction of its
 * newest customer message: near-identical messages from the same customer or thread follow it at once, and the
 * no-reply detector learns it (src/learning/reply-detector.ts). False: nothing to learn from (no customer message).
 */
export async function saveReplyCorrection(conversationId: string | Types.ObjectId, needed: boolean, actor: string): Promise<boolean> {
  const c = await ConversationModel.findById(conversationId, { channel: 1, account: 1, threadKey: 1, 'routing.lang': 1 }).lean();
  // a blocked sender's words teach nothing: the verdict is about the customer the conversation answers
  const last = c && (await MessageModel.findOne({ conversationId: c._id, direction: 'inbound', blocked: { $ne: true } }).sort({ sentAt: -1, _id: -1 }).lean());
  if (!c || !last) return false;
  await TrainingExampleModel.create({ ...correctionDoc(c, last, needed ? REPLY_LABEL : NO_REPLY_LABEL, actor), task: 'reply' });
  return true;
}

/** Every no-reply verdict agents gave, oldest first. */
export async function replyCorrections(): Promise<Array<{ text: string; label: string; lang?: string }>> {
  const rows = await TrainingExampleModel.find({ task: 'reply' }, { text: 1, label: 1, lang: 1 }).sort({ _id: 1 }).lean();
  return rows.map((r) => ({ text: r.text, label: r.label, ...(r.lang ? { lang: r.lang } : {}) }));
}
