import { claimUntil } from '../connection';
import { SlackInteractionModel } from '../models/slack-interaction';

// long after any window: a record the TTL monitor has not removed yet is still read by its `until`
const KEEP_MS = 60 * 60 * 1000;

/** True when this process may act on `key` now: nobody acted on it within its window (`windowMs`). */
export function claimInteraction(key: string, windowMs: number, now = new Date()): Promise<boolean> {
  const until = new Date(now.getTime() + windowMs);
  return claimUntil(SlackInteractionModel, key, now, { until, expiresAt: new Date(until.getTime() + KEEP_MS) });
}
