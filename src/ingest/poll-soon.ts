/**
 * A poll outside the schedule (IMAP IDLE saw new mail): the same pollAccount, so cursor, dedupe and lease stay one
 * mechanism. A call while one runs asks for one more round after it; a round that read mail is followed by
 * another (a big mailbox comes in batches), and a round another poller held the lease for is tried again.
 */
import type { Connector } from '../domain/message';
import { pollAccount, type PollDeps, type PollResult } from './poll';

export interface PollSoonOptions {
  /** wait before trying again when another poller holds the account (default 1 s) */
  busyRetryMs?: number;
  /** rounds per call at most (default 50) */
  maxRounds?: number;
  onPolled?(result: PollResult): void;
  onError?(err: unknown): void;
}

export type PollSoon = () => Promise<void>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function pollSoon(connector: Connector, account: string, deps: PollDeps, o: PollSoonOptions = {}, credentials?: string): PollSoon {
  let running: Promise<void> | undefined;
  let again = false;
  const rounds = async (): Promise<void> => {
    for (let n = 0; n < (o.maxRounds ?? 50); n += 1) {
      again = false;
      const result = await pollAccount(connector, account, deps, credentials);
      o.onPolled?.(result);
      if (result.outcome === 'busy') {
        await pause(o.busyRetryMs ?? 1000);
        again = true;
      }
      const readMail = result.stored + result.duplicates > 0;
      if (!again && !readMail) return;
    }
  };
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = rounds()
      .catch((err: unknown) => o.onError?.(err))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}
