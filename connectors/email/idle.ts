/** Keeps one IMAP connection per account in IDLE on its first mailbox, reconnecting with backoff; new mail → `onNewMail`. */
import { ConnectorAuthError } from '../../src/domain/errors';
import { idleSession, toConnectorError, type IdleSession } from './client';
import type { ImapSettings } from './types';

export interface WatchOptions {
  imap: ImapSettings;
  mailbox: string;
  /** new mail arrived, or the connection (re)opened and mail may have come while it was away */
  onNewMail(): void;
  onConnected?(): void;
  /** a connection failed or closed; auth: the login was refused and watching stops (polling shows it failing) */
  onTrouble?(err: unknown, auth: boolean): void;
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface Watcher {
  stop(): Promise<void>;
}

export function watchMailbox(o: WatchOptions): Watcher {
  const first = o.firstBackoffMs ?? 1000;
  const max = o.maxBackoffMs ?? 5 * 60_000;
  let delay = first;
  let stopped = false;
  let session: IdleSession | undefined;
  let timer: NodeJS.Timeout | undefined;

  const later = (): void => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    delay = Math.min(delay * 2, max);
  };
  const closed = (): void => {
    session = undefined;
    o.onTrouble?.(new Error(`IMAP IDLE connection to ${o.imap.host} closed`), false);
    later();
  };
  const connect = async (): Promise<void> => {
    try {
      const opened = await idleSession(o.imap, o.mailbox, () => o.onNewMail(), closed);
      if (stopped) return void (await opened.close());
      session = opened;
      delay = first;
      o.onConnected?.();
      o.onNewMail();
    } catch (raw) {
      const err = toConnectorError(raw, o.imap.host);
      const auth = err instanceof ConnectorAuthError;
      o.onTrouble?.(err, auth);
      // new credentials come with a restart; until then the scheduled poll keeps the account marked failing
      if (!auth) later();
    }
  };
  void connect();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await session?.close().catch(() => undefined);
      session = undefined;
    },
  };
}
