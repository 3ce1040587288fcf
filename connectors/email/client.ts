/** The one file that imports imapflow: reading a mailbox by UID, a header search, an IDLE session; its errors turned into ours. */
import { ImapFlow } from 'imapflow';
import { AppError, ConnectorAuthError, ConnectorUnavailableError } from '../../src/domain/errors';
import type { ImapSettings } from './types';

export interface FetchedMail {
  uid: number;
  source: Buffer;
  internalDate?: Date;
}

/** Where to read from once the mailbox's UIDVALIDITY is known: after a UID, or the newest `newest` messages. */
export type ReadFrom = { fromUid: number } | { newest: number };

export interface MailboxRead {
  uidValidity: string;
  /** ascending by UID, at most `limit` */
  mails: FetchedMail[];
}

export interface ImapSession {
  readonly usable: boolean;
  readMailbox(mailbox: string, from: (uidValidity: string) => ReadFrom, limit: number): Promise<MailboxRead>;
  /** whether any of `mailboxes` holds a message whose `header` is `value` */
  hasHeader(mailboxes: string[], header: string, value: string): Promise<boolean>;
  /** the mailbox the server flags \Sent, if any */
  sentMailbox(): Promise<string | undefined>;
  close(): Promise<void>;
}

const NETWORK = /^(ECONN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EPIPE|ENOTFOUND|EAI_AGAIN|NoConnection|ETIMEOUT|ClosedAfterConnect|CONNECT_TIMEOUT|GREETING_TIMEOUT)/;

/** Our error for an imapflow one: a refused login, a lost or refused connection, or the server saying NO. */
export function toConnectorError(err: unknown, host: string): unknown {
  if (!(err instanceof Error)) return err;
  const e = err as Error & { authenticationFailed?: boolean; code?: string; responseText?: string; responseStatus?: string };
  if (e.authenticationFailed) return new ConnectorAuthError(`IMAP server ${host} refused the login${e.responseText ? `: ${e.responseText}` : ''}`);
  if (e.responseStatus === 'NO' || e.responseStatus === 'BAD') {
    return new AppError('connector_refused', `IMAP server ${host} refused a command: ${e.responseText ?? e.message}`);
  }
  if ((e.code && NETWORK.test(e.code)) || /connection|socket|timeout|closed/i.test(e.message)) {
    return new ConnectorUnavailableError(`IMAP server ${host} unreachable: ${e.message}`);
  }
  return err;
}

function clientFor(s: ImapSettings): ImapFlow {
  return new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: { user: s.user, pass: s.pass },
    logger: false,
    connectionTimeout: s.timeoutMs ?? 30_000,
    greetingTimeout: s.timeoutMs ?? 30_000,
    socketTimeout: 5 * 60_000,
    // servers drop an IDLE after 30 minutes (RFC 9051): restart it well before
    maxIdleTime: 5 * 60_000,
  });
}

async function guarded<T>(host: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toConnectorError(err, host);
  }
}

async function connected(s: ImapSettings): Promise<ImapFlow> {
  const client = clientFor(s);
  // an 'error' event without a listener would crash the process; the failing command reports it
  client.on('error', () => undefined);
  await guarded(s.host, () => client.connect());
  return client;
}

export async function openImap(s: ImapSettings): Promise<ImapSession> {
  const client = await connected(s);
  return {
    get usable() {
      return client.usable;
    },

    readMailbox: (mailbox, from, limit) =>
      guarded(s.host, async () => {
        const lock = await client.getMailboxLock(mailbox, { readOnly: true });
        try {
          const box = client.mailbox;
          if (!box) throw new ConnectorUnavailableError(`IMAP server ${s.host}: ${mailbox} is not open`);
          const uidValidity = String(box.uidValidity);
          if (box.exists === 0) return { uidValidity, mails: [] };
          const start = from(uidValidity);
          const range = 'fromUid' in start ? `${start.fromUid}:*` : '1:*';
          // "N:*" names the last message even when its UID is below N: keep only UIDs from N on
          const uids = ((await client.search({ uid: range }, { uid: true })) || []).filter((u) => !('fromUid' in start) || u >= start.fromUid).sort((a, b) => a - b);
          const chosen = 'fromUid' in start ? uids.slice(0, limit) : uids.slice(-Math.min(start.newest, limit));
          if (chosen.length === 0) return { uidValidity, mails: [] };
          const mails: FetchedMail[] = [];
          for await (const m of client.fetch(chosen.join(','), { uid: true, source: true, internalDate: true }, { uid: true })) {
            if (m.source) mails.push({ uid: m.uid, source: m.source, internalDate: m.internalDate instanceof Date ? m.internalDate : undefined });
          }
          return { uidValidity, mails: mails.sort((a, b) => a.uid - b.uid) };
        } finally {
          // the next read selects it afresh: a kept selection would show its old message count and UIDVALIDITY
          await client.mailboxClose().catch(() => undefined);
          lock.release();
        }
      }),

    hasHeader: (mailboxes, header, value) =>
      guarded(s.host, async () => {
        for (const mailbox of mailboxes) {
          const lock = await client.getMailboxLock(mailbox, { readOnly: true });
          try {
            const found = await client.search({ header: { [header]: value } }, { uid: true });
            if (found && found.length > 0) return true;
          } finally {
            await client.mailboxClose().catch(() => undefined);
            lock.release();
          }
        }
        return false;
      }),

    sentMailbox: () => guarded(s.host, async () => (await client.list()).find((m) => m.specialUse === '\\Sent')?.path),

    close: async () => {
      await client.logout().catch(() => client.close());
    },
  };
}

export interface IdleSession {
  close(): Promise<void>;
}

/**
 * A connection that selects `mailbox` and stays in IDLE (imapflow enters it whenever no command runs):
 * `onExists` hears of every new message, `onClose` of the connection's end, whoever ended it.
 */
export async function idleSession(s: ImapSettings, mailbox: string, onExists: () => void, onClose: () => void): Promise<IdleSession> {
  const client = await connected(s);
  client.on('exists', (data: { count: number; prevCount: number }) => {
    if (data.count > data.prevCount) onExists();
  });
  client.on('close', onClose);
  try {
    await guarded(s.host, () => client.mailboxOpen(mailbox, { readOnly: true }));
  } catch (err) {
    client.close();
    throw err;
  }
  // imapflow would enter IDLE by itself only after a quiet spell; a watcher wants it now (it ends with the connection)
  client.idle().catch(() => undefined);
  return {
    close: async () => {
      client.removeListener('close', onClose);
      await client.logout().catch(() => client.close());
    },
  };
}
