import { upsertOnKey } from '../connection';
import { ChannelAccountModel, type TimelineState } from '../models/channel-account';
import type { Cursor } from '../../domain/message';

export interface AccountKey {
  channel: string;
  account: string;
}

/** The writes that lift each failing timeline, field by field: a poll saving another timeline meanwhile keeps its state. */
function liftFailing(timelines: Record<string, TimelineState> = {}): { $set: Record<string, string>; $unset: Record<string, 1> } {
  const failing = Object.entries(timelines).filter(([, t]) => t.status === 'failing').map(([name]) => name);
  return {
    $set: Object.fromEntries(failing.map((name) => [`timelines.${name}.status`, 'active'])),
    $unset: Object.fromEntries(failing.map((name) => [`timelines.${name}.pauseReason`, 1 as const])),
  };
}

/** Registers a configured account; new credentials lift a 'failing' status, the account's and its timelines'. */
export async function registerAccount(key: AccountKey, credentialsFingerprint?: string, settings: { ownsApp?: boolean } = {}): Promise<void> {
  const existing = await ChannelAccountModel.findOne(key).lean();
  const owns = settings.ownsApp === undefined ? {} : { ownsApp: settings.ownsApp };
  if (!existing) {
    const fields = { status: 'active', cursor: {}, timelines: {}, credentialsFingerprint, ...owns };
    await upsertOnKey(() => ChannelAccountModel.updateOne(key, { $setOnInsert: fields }, { upsert: true }));
  } else if (credentialsFingerprint && existing.credentialsFingerprint !== credentialsFingerprint) {
    const failing = existing.status === 'failing';
    const lift = liftFailing(existing.timelines as Record<string, TimelineState>);
    await ChannelAccountModel.updateOne(key, {
      $set: { credentialsFingerprint, ...lift.$set, ...owns, ...(failing ? { status: 'active' } : {}) },
      $unset: { ...lift.$unset, ...(failing ? { statusReason: 1 } : {}) },
    });
  } else if (settings.ownsApp !== undefined && existing.ownsApp !== settings.ownsApp) {
    await ChannelAccountModel.updateOne(key, { $set: owns });
  }
}

/** The cursor moves only here, after the messages it covers are stored; it never holds null or undefined. */
export async function saveCursor(key: AccountKey, cursor: Cursor, now = new Date()): Promise<void> {
  await ChannelAccountModel.updateOne(key, { $set: { cursor: cleanCursor(cursor), lastPolledAt: now } });
}

/** A stored cursor with every value that is not a non-empty string dropped (X answers 400 to since_id=null). */
export function cleanCursor(cursor: unknown): Cursor {
  if (typeof cursor !== 'object' || cursor === null) return {};
  return Object.fromEntries(Object.entries(cursor).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '' && e[1] !== 'null' && e[1] !== 'undefined'));
}

export async function saveTimeline(key: AccountKey, name: string, state: TimelineState): Promise<void> {
  const clean = Object.fromEntries(Object.entries(state).filter(([, v]) => v !== undefined));
  await ChannelAccountModel.updateOne(key, { $set: { [`timelines.${name}`]: clean } });
}

export async function setAccountStatus(key: AccountKey, status: 'active' | 'failing' | 'over_budget', reason?: string) {
  await ChannelAccountModel.updateOne(key, reason ? { $set: { status, statusReason: reason } } : { $set: { status }, $unset: { statusReason: 1 } });
}

