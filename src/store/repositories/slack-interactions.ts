import { insertOnce } from '../connection';
import { SlackInteractionModel } from '../models/slack-interaction';

// long after any window: a record the TTL monitor has not removed yet is still read by its `until`
const KEEP_MS = 60 * 60 * 1000;

/** True when this process may act on `key` now: nobody acted on it within its window (`windowMs`). */
export async function claimInteraction(key: string, windowMs: number, now = new Date()): Promise<boolean> {
  const until = new Date(now.getTime() + windowMs);
  const expiresAt = new Date(until.getTime() + KEEP_MS);
  if (await insertOnce(() => SlackInteractionModel.create({ _id: key, until, expiresAt }))) return true;
  const current = await SlackInteractionModel.findById(key).lean();
  if (!current) return insertOnce(() => SlackInteractionModel.create({ _id: key, until, expiresAt }));
  if (current.until > now) return false;
  // the window has passed: of several deliveries now, the one whose takeover insert lands acts
  const takeover = `${key}@${current.until.getTime()}`;
  if (!(await insertOnce(() => SlackInteractionModel.create({ _id: takeover, until, expiresAt })))) return false;
  await SlackInteractionModel.updateOne({ _id: key }, { $set: { until, expiresAt } });
  return true;
}
