/** One step per X account: make sure X pushes its mentions and DMs (the X Activity API subscriptions), and say how it stands. */
import { AppError } from '../../src/domain/errors';
import { createActivityApi } from './push-client';
import type { ActivityApi } from './push-client';
import { PUSH_EVENTS } from './push-event';

export interface PushAccount {
  accountId: string;
  userId: string;
  /** the account's OAuth 2.0 user token (scopes tweet.read, dm.read); without it X pushes nothing for it */
  oauth2UserToken?: string;
}

export type EventState = 'existing' | 'created' | 'failed';

export interface SubscriptionReport {
  accountId: string;
  userId: string;
  /** subscribed: every event is; partial: some failed; no_token: the account has no OAuth 2.0 user token; failed: none could be checked */
  state: 'subscribed' | 'partial' | 'no_token' | 'failed';
  events: Partial<Record<(typeof PUSH_EVENTS)[number], EventState>>;
  error?: string;
}

const reason = (err: unknown): string => (err instanceof AppError || err instanceof Error ? err.message : String(err));

/** Lists the app's subscriptions with the account's token and creates the missing ones; never throws for X's refusals. */
export async function ensureSubscriptions(
  account: PushAccount,
  options: { apiBaseUrl?: string; webhookId?: string; timeoutMs?: number },
  api: ActivityApi | undefined = account.oauth2UserToken ? createActivityApi({ oauth2UserToken: account.oauth2UserToken, ...options }) : undefined,
): Promise<SubscriptionReport> {
  const report: SubscriptionReport = { accountId: account.accountId, userId: account.userId, state: 'failed', events: {} };
  if (!api) return { ...report, state: 'no_token' };
  let existing;
  try {
    existing = await api.list();
  } catch (err) {
    return { ...report, error: reason(err) };
  }
  const errors: string[] = [];
  for (const eventType of PUSH_EVENTS) {
    const found = existing.some((s) => s.eventType === eventType && s.userId === account.userId && (!options.webhookId || !s.webhookId || s.webhookId === options.webhookId));
    if (found) {
      report.events[eventType] = 'existing';
      continue;
    }
    try {
      await api.create(eventType, account.userId, options.webhookId);
      report.events[eventType] = 'created';
    } catch (err) {
      report.events[eventType] = 'failed';
      errors.push(`${eventType}: ${reason(err)}`);
    }
  }
  const failed = Object.values(report.events).filter((s) => s === 'failed').length;
  return {
    ...report,
    state: failed === 0 ? 'subscribed' : failed === PUSH_EVENTS.length ? 'failed' : 'partial',
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
  };
}
