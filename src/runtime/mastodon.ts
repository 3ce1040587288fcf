/** The configured Mastodon accounts as polled accounts: the same pipeline, cards, SLA clocks and delivery as X. */
import crypto from 'node:crypto';
import { createMastodonConnector } from '../../connectors/mastodon';
import type { Config } from '../config';
import type { PolledAccount } from './connectors';

export function mastodonAccounts(config: Config): PolledAccount[] {
  return config.mastodon.accounts.map((a) => ({
    connector: createMastodonConnector({ accountId: a.id, url: a.url, accessToken: a.accessToken }),
    account: a.id,
    intervalMs: config.mastodon.pollIntervalSeconds * 1000,
    // a new token (or instance) lifts a 'failing' status
    fingerprint: crypto.createHash('sha256').update([a.url, a.accessToken].join('\n')).digest('hex'),
  }));
}
