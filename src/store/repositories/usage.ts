import type { Types } from 'mongoose';
import type { Billable, BillableKind } from '../../domain/message';
import { insertOnce, isDuplicateKeyError, upsertOnKey } from '../connection';
import { billedResourceIdFor, spendWarningIdFor, usageDayIdFor } from '../ids';
import { BilledResourceModel, SpendWarningModel } from '../models/billed-resource';
import { UsageDayModel, UsageModel } from '../models/usage';
import type { AccountKey } from './channel-accounts';

export type Prices = Record<BillableKind, number>;
type Counter = 'posts' | 'ownedPosts' | 'dmEvents' | 'postsCreated' | 'postsWithUrlCreated' | 'dmsCreated';

const COUNTER: Record<BillableKind, Counter> = {
  post_read: 'posts',
  owned_post_read: 'ownedPosts',
  dm_event_read: 'dmEvents',
  post_create: 'postsCreated',
  post_with_url_create: 'postsWithUrlCreated',
  dm_create: 'dmsCreated',
};
// reads of one post share a resource whatever they cost; each write is its own
const RESOURCE: Record<BillableKind, string> = {
  post_read: 'post', owned_post_read: 'post', dm_event_read: 'dm_event', post_create: 'write', post_with_url_create: 'write', dm_create: 'write',
};

export const monthOf = (date: Date): string => date.toISOString().slice(0, 7);
export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);
type WriteError = { code?: number; index: number };

/** Inserts what is not yet billed today; returns the items that were new (a failed insert of another kind throws). */
async function newToday(key: AccountKey, day: string, items: Billable[]): Promise<Billable[]> {
  const unique = new Map<string, { doc: { _id: Types.ObjectId; channel: string; account: string; day: string }; item: Billable }>();
  for (const item of items) {
    const _id = billedResourceIdFor({ ...key, day, resource: `${RESOURCE[item.kind]}:${item.id}` });
    unique.set(String(_id), { doc: { _id, channel: key.channel, account: key.account, day }, item });
  }
  const entries = [...unique.values()];
  if (entries.length === 0) return [];
  try {
    await BilledResourceModel.collection.insertMany(entries.map((e) => e.doc), { ordered: false });
    return entries.map((e) => e.item);
  } catch (err) {
    // a bulk write error lists each refused document by index; only duplicates mean "already billed today"
    const listed = (err as { writeErrors?: WriteError | WriteError[] }).writeErrors;
    if (!listed) throw err;
    const errors = Array.isArray(listed) ? listed : [listed];
    if (!errors.every(isDuplicateKeyError)) throw err;
    const seen = new Set(errors.map((e) => e.index));
    return entries.filter((_, i) => !seen.has(i)).map((e) => e.item);
  }
}

export interface MonthUsage {
  month: string;
  usd: number;
  counts: Record<Counter, number>;
}

const toMonth = (month: string, doc: Partial<Record<Counter | 'usd', number | null>> | null): MonthUsage => ({
  month,
  usd: doc?.usd ?? 0,
  counts: Object.fromEntries(Object.values(COUNTER).map((c) => [c, doc?.[c] ?? 0])) as Record<Counter, number>,
});

function upsertMonth(key: AccountKey, month: string, inc: Record<string, number>) {
  return upsertOnKey(() => UsageModel.findOneAndUpdate({ ...key, month }, { $inc: inc }, { upsert: true, returnDocument: 'after' }).lean());
}

/** Counts what X bills for `items` now: each resource once per UTC day, priced as it is counted. */
export async function recordBillables(key: AccountKey, items: Billable[], prices: Prices, now: Date): Promise<MonthUsage> {
  const day = dayOf(now);
  const month = monthOf(now);
  const fresh = await newToday(key, day, items);
  if (fresh.length === 0) return usageOfMonth(key, month);
  const inc: Record<string, number> = { usd: 0 };
  for (const item of fresh) {
    inc[COUNTER[item.kind]] = (inc[COUNTER[item.kind]] ?? 0) + 1;
    inc.usd = (inc.usd ?? 0) + prices[item.kind];
  }
  await UsageDayModel.updateOne({ _id: usageDayIdFor({ ...key, day }) }, { $inc: inc, $setOnInsert: { ...key, day, month } }, { upsert: true });
  return toMonth(month, await upsertMonth(key, month, inc));
}

export async function usageOfMonth(key: AccountKey, month: string): Promise<MonthUsage> {
  return toMonth(month, await UsageModel.findOne({ ...key, month }).lean());
}

/** Forgets which resources were billed before `day`: X bills them again on a new day anyway. */
export async function forgetBilledBefore(key: AccountKey, day: string): Promise<void> {
  await BilledResourceModel.deleteMany({ ...key, day: { $lt: day } });
}

/** True the first time it is called for (account, month): the insert decides, so a warning goes out once. */
export function claimBudgetWarning(key: AccountKey, month: string): Promise<boolean> {
  return insertOnce(() => SpendWarningModel.create({ _id: spendWarningIdFor({ ...key, month }) }));
}
