import type { Author } from '../../domain/message';
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

/** The newest corrections from this customer or in this thread, newest first (two indexed lookups). */
export async function recentCorrections(w: Where): Promise<Array<{ text: string; label: string; actor?: string }>> {
  const { customerKey, threadKey } = correctionKeys(w);
  const or: Array<Record<string, string>> = [{ threadKey }];
  if (customerKey) or.push({ customerKey });
  const rows = await TrainingExampleModel.find({ source: 'correction', $or: or }, { text: 1, label: 1, actor: 1 })
    .sort({ createdAt: -1, _id: -1 })
    .limit(RECENT)
    .lean();
  return rows.map((r) => ({ text: r.text, label: r.label, ...(r.actor ? { actor: r.actor } : {}) }));
}
