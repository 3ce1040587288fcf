/** Each configured Bluesky account as a polled account: its connector, interval and credential fingerprint. */
import crypto from 'node:crypto';
import { createBlueskyConnector } from '../../connectors/bluesky';
import type { Config } from '../config';
import type { PolledAccount } from './connectors';

export function blueskyAccounts(config: Config): PolledAccount[] {
  return config.bluesky.accounts.map((a) => ({
    connector: createBlueskyConnector({ accountId: a.id, service: a.service, identifier: a.identifier, appPassword: a.appPassword }),
    account: a.id,
    intervalMs: config.bluesky.pollIntervalSeconds * 1000,
    // a new app password (or another account or service) lifts a 'failing' status
    fingerprint: crypto.createHash('sha256').update(['bluesky', a.service, a.identifier, a.appPassword].join('\n')).digest('hex'),
  }));
}
