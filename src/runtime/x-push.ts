/** X Activity API push at start: the webhook's options and each account's subscription state, logged. */
import { ensureSubscriptions } from '../../connectors/x/push-subscriptions';
import type { SubscriptionReport } from '../../connectors/x/push-subscriptions';
import type { XWebhookOptions } from '../api/routes/x-webhook';
import type { Config, XAccountConfig } from '../config';
import { whenLeaseFree } from '../store/repositories/leases';
import type { Logger } from './logger';

export function xWebhookOptions(config: Config): Omit<XWebhookOptions, 'pipeline'> | undefined {
  const webhook = config.x.webhook;
  if (!webhook) return undefined;
  return {
    path: webhook.path,
    consumerSecret: webhook.consumerSecret,
    accounts: config.x.accounts.map((a) => ({ accountId: a.id, userId: a.userId })),
    maxBytes: config.ingest.maxBytes,
  };
}

export interface XPushSetup {
  apiBaseUrl: string;
  accounts: Array<Pick<XAccountConfig, 'id' | 'userId' | 'oauth2UserToken'>>;
  webhook?: Config['x']['webhook'];
}

/**
 * Creates what is missing for every account; X being down leaves polling to carry on, so this never fails the start.
 * One process at a time checks an account (a list, then creates): processes starting together would each create them.
 */
export async function subscribeXAccounts(x: XPushSetup, logger: Logger, owner: string, leaseMs = 30_000): Promise<SubscriptionReport[]> {
  const webhook = x.webhook;
  if (!webhook) return [];
  const reports = await Promise.all(
    x.accounts.map((a) => whenLeaseFree(`x-push:${a.id}`, owner, leaseMs, () => ensureSubscriptions({ accountId: a.id, userId: a.userId, oauth2UserToken: a.oauth2UserToken }, { apiBaseUrl: x.apiBaseUrl, webhookId: webhook.webhookId }))),
  );
  for (const r of reports) {
    const line = { account: r.accountId, userId: r.userId, state: r.state, events: r.events, ...(r.error ? { error: r.error } : {}) };
    if (r.state === 'subscribed') logger.info(line, `X push: ${r.accountId} subscribed (${Object.entries(r.events).map(([e, s]) => `${e} ${s}`).join(', ')})`);
    else if (r.state === 'no_token') logger.warn(line, `X push: ${r.accountId} has no oauth2UserToken; X pushes nothing for it, polling carries on`);
    else logger.warn(line, `X push: ${r.accountId} ${r.state}: ${r.error ?? ''}; polling carries on`);
  }
  return reports;
}
