import type { Author } from '../../domain/message';
import type { RecentCorrection } from '../../domain/classification';
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
  const rows = await TrainingExampleModel.find({ source: 'correction', $or: or }, { text: 1, label: 1, actor: 1, threadKey: 1, customerKey: 1 })
    .sort({ createdAt: -1, _id: -1 })
    .limit(RECENT * wheres.length)
    .lean();
  return keys.map(({ customerKey, threadKey }) =>
    rows
      .filter((r) => r.threadKey === threadKey || (customerKey !== undefined && r.customerKey === customerKey))
      .slice(0, RECENT)
      .map((r) => ({ text: r.text, label: r.label, ...(r.actor ? { actor: r.actor } : {}) })),
  );
}
