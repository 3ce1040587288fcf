/** The e-mail accounts: a connector each (polled like X), and an IMAP IDLE watcher each that polls at once on new mail. */
import crypto from 'node:crypto';
import { createEmailConnector, type EmailConnector } from '../../connectors/email';
import { watchMailbox, type Watcher } from '../../connectors/email/idle';
import type { Config } from '../config';
import type { PollDeps } from '../ingest/poll';
import { pollSoon, type PollSoonOptions } from '../ingest/poll-soon';
import { emailThreadKeys, repliedEmail } from '../store/repositories/email-threads';
import type { PolledAccount } from './connectors';
import type { Logger } from './logger';

export const storeLookups = { threadKeys: emailThreadKeys, replied: repliedEmail };

export function emailAccounts(config: Config): PolledAccount[] {
  return config.email.accounts.map((a) => ({
    connector: createEmailConnector({
      accountId: a.id,
      address: a.address,
      imap: a.imap,
      smtp: a.smtp,
      mailboxes: a.mailboxes,
      department: a.department,
      sentMailbox: a.sentMailbox,
      lookups: storeLookups,
    }),
    account: a.id,
    intervalMs: config.email.pollIntervalSeconds * 1000,
    fingerprint: crypto.createHash('sha256').update(JSON.stringify([a.address, a.imap, a.smtp])).digest('hex'),
  }));
}

const isEmail = (c: PolledAccount['connector']): c is EmailConnector => c.kind === 'email';

/** One IDLE connection per e-mail account, on its first mailbox; the scheduled poll stays the fallback. Returns stop. */
export function watchEmailAccounts(accounts: PolledAccount[], deps: PollDeps, logger: Logger, o: PollSoonOptions = {}): () => Promise<void> {
  const watchers: Array<{ watcher: Watcher; connector: EmailConnector }> = [];
  for (const a of accounts) {
    const { connector } = a;
    if (!isEmail(connector)) continue;
    const where = { channel: 'email', account: a.account };
    const poll = pollSoon(connector, a.account, deps, { onError: (err) => logger.warn({ ...where, err }, 'poll after new mail failed; the scheduled poll retries'), ...o }, a.fingerprint);
    const watcher = watchMailbox({
      imap: connector.imap,
      mailbox: connector.mailboxOf(connector.timelines[0] ?? 'INBOX'),
      onNewMail: () => void poll(),
      onConnected: () => logger.info(where, 'IMAP IDLE: watching for new mail'),
      onTrouble: (err, auth) =>
        auth ? logger.error({ ...where, err }, 'IMAP IDLE: login refused; new mail waits for the scheduled poll') : logger.warn({ ...where, err }, 'IMAP IDLE: reconnecting'),
    });
    watchers.push({ watcher, connector });
  }
  return async () => {
    for (const { watcher, connector } of watchers) {
      await watcher.stop();
      await connector.close();
    }
  };
}
