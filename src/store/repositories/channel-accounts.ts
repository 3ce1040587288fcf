import { ChannelAccountModel } from '../models/channel-account';
import { UsageModel } from '../models/usage';
import type { Cursor, ReadUsage } from '../../domain/message';

export interface AccountKey {
  channel: string;
  account: string;
}

/** Registers a configured account; new credentials lift a 'failing' status. */
export async function registerAccount(key: AccountKey, credentialsFingerprint?: string): Promise<void> {
  const existing = await ChannelAccountModel.findOne(key).lean();
  if (!existing) {
    await ChannelAccountModel.updateOne(key, { $setOnInsert: { status: 'active', cursor: {}, credentialsFingerprint } }, { upsert: true });
  } else if (credentialsFingerprint && existing.credentialsFingerprint !== credentialsFingerprint) {
    await ChannelAccountModel.updateOne(key, {
      $set: { credentialsFingerprint, ...(existing.status === 'failing' ? { status: 'active' } : {}) },
      $unset: existing.status === 'failing' ? { statusReason: 1 } : {},
    });
  }
}

/** The cursor moves only here, after the messages it covers are stored. */
export async function saveCursor(key: AccountKey, cursor: Cursor, now = new Date()): Promise<void> {
  await ChannelAccountModel.updateOne(key, { $set: { cursor, lastPolledAt: now } });
}

export async function setAccountStatus(key: AccountKey, status: 'active' | 'failing' | 'over_budget', reason?: string) {
  await ChannelAccountModel.updateOne(key, reason ? { $set: { status, statusReason: reason } } : { $set: { status }, $unset: { statusReason: 1 } });
}

export async function pauseUntil(key: AccountKey, until: Date): Promise<void> {
  await ChannelAccountModel.updateOne(key, { $set: { pausedUntil: until } });
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** Adds what a pull read to this month's counters and returns the month's totals. */
export async function recordUsage(key: AccountKey, usage: ReadUsage, now = new Date()) {
  return UsageModel.findOneAndUpdate(
    { ...key, month: monthOf(now) },
    { $inc: { posts: usage.posts, dmEvents: usage.dmEvents } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
}

export async function usageOf(key: AccountKey, month: string) {
  return UsageModel.findOne({ ...key, month }).lean();
}
