/** What one timeline's poll did to its state: success clears the error, a 429 pauses it, an auth refusal stops it. */
import { ConnectorAuthError, ConnectorRateLimitError } from '../domain/errors';
import type { Logger } from '../runtime/logger';
import type { TimelineState } from '../store/models/channel-account';
import type { AccountKey } from '../store/repositories/channel-accounts';
import { saveTimeline } from '../store/repositories/channel-accounts';

export type TimelineOutcome = 'polled' | 'rate_limited' | 'failing' | 'unavailable';

/** Why this timeline is not polled now, or undefined when it may be. */
export function skipReason(state: TimelineState | undefined, now: Date): TimelineOutcome | undefined {
  if (state?.status === 'failing') return 'failing';
  if (state?.pausedUntil && new Date(state.pausedUntil) > now) return 'rate_limited';
  return undefined;
}

const keep = (state: TimelineState | undefined): TimelineState => {
  const { pausedUntil, pauseReason, ...rest } = state ?? {};
  void pausedUntil;
  void pauseReason;
  return rest;
};

export async function timelineSucceeded(key: AccountKey, name: string, state: TimelineState | undefined, now: Date): Promise<void> {
  const { lastError, lastErrorAt, ...rest } = keep(state);
  // the last error stays visible beside the success that followed it
  await saveTimeline(key, name, { ...rest, status: 'active', lastSuccessAt: now, ...(lastError ? { lastError, lastErrorAt } : {}) });
}

export async function timelineFailed(key: AccountKey, name: string, state: TimelineState | undefined, err: unknown, now: Date, logger: Logger): Promise<TimelineOutcome> {
  const message = err instanceof Error ? err.message : String(err);
  const failed: TimelineState = { ...keep(state), lastError: message, lastErrorAt: now };
  const where = { ...key, timeline: name };
  if (err instanceof ConnectorRateLimitError) {
    await saveTimeline(key, name, { ...failed, pausedUntil: err.resetAt, pauseReason: `rate limited until ${err.resetAt.toISOString()}` });
    logger.warn({ ...where, resetAt: err.resetAt }, 'rate limited: this timeline resumes after the reset');
    return 'rate_limited';
  }
  if (err instanceof ConnectorAuthError) {
    await saveTimeline(key, name, { ...failed, status: 'failing', pauseReason: `refused until the credentials change: ${message}` });
    logger.error({ ...where, reason: message }, 'credentials refused for this timeline: it stops until they change');
    return 'failing';
  }
  await saveTimeline(key, name, failed);
  logger.warn({ ...where, err }, 'timeline poll failed; its cursor stays and the next poll retries');
  return 'unavailable';
}
