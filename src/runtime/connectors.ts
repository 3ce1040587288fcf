import crypto from 'node:crypto';
import path from 'node:path';
import { createReplayConnector } from '../../connectors/replay';
import { createWebhookReplyConnector } from '../../connectors/webhook/reply';
import { createXConnector } from '../../connectors/x';
import type { Config } from '../config';
import { replayRuns } from '../config/startup';
import type { Connector } from '../domain/message';
import { mastodonAccounts } from './mastodon';
import { blueskyAccounts } from './bluesky';
import { emailAccounts } from './email';

export interface PolledAccount {
  connector: Connector;
  account: string;
  intervalMs: number;
  /** changes when the credentials change, which lifts a 'failing' status */
  fingerprint?: string;
  ownsApp?: boolean;
  /** the demo replay: how many messages its file holds */
  replayLines?: number;
  /** the channels it answers on besides its kind (the replay's Bluesky, Mastodon and e-mail lines) */
  channels?: readonly string[];
}

/** The accounts to poll: each configured X, Mastodon, Bluesky and e-mail account, and the demo replay when none is configured. */
export function configuredAccounts(config: Config): PolledAccount[] {
  const accounts: PolledAccount[] = config.x.accounts.map((a) => ({
    connector: createXConnector({
      accountId: a.id,
      userId: a.userId,
      credentials: { appKey: a.appKey, appSecret: a.appSecret, accessToken: a.accessToken, accessSecret: a.accessSecret },
      apiBaseUrl: config.x.apiBaseUrl,
      ownsApp: a.ownsApp,
    }),
    account: a.id,
    intervalMs: config.x.pollIntervalSeconds * 1000,
    ownsApp: a.ownsApp,
    fingerprint: crypto.createHash('sha256').update([a.userId, a.appKey, a.appSecret, a.accessToken, a.accessSecret].join('\n')).digest('hex'),
  }));
  accounts.push(...mastodonAccounts(config));
  accounts.push(...blueskyAccounts(config));
  accounts.push(...emailAccounts(config));
  if (replayRuns(config)) {
    const connector = createReplayConnector({ file: path.resolve(config.replay.file) });
    accounts.push({ connector, account: connector.account, intervalMs: config.replay.intervalMs, replayLines: connector.size, channels: connector.channels });
  }
  return accounts;
}

export function connectorKey(channel: string, account: string): string {
  return `${channel}:${account}`;
}

/** Send-only connectors for webhook sources with a reply URL (they are never polled). */
export function webhookReplyConnectors(config: Config): Map<string, Connector> {
  const { urls, secret } = config.webhookReplies;
  if (!secret) return new Map();
  return new Map(Object.entries(urls).map(([source, url]) => [connectorKey('webhook', source), createWebhookReplyConnector({ source, url, secret })]));
}
