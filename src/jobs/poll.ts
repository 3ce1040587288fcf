import type { Agenda } from 'agenda';
import type { PollDeps } from '../ingest/poll';
import { pollAccount } from '../ingest/poll';
import type { PolledAccount } from '../runtime/connectors';
import { connectorKey } from '../runtime/connectors';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const POLL_JOB = 'connector.poll';

interface PollJobData {
  channel: string;
  account: string;
}

/** One repeating job per account; agenda's lock plus our lease keep it to one poll at a time. */
export async function schedulePolling(agenda: Agenda, accounts: PolledAccount[], deps: PollDeps, lockLifetimeMs = DEFAULT_LOCK_LIFETIME_MS): Promise<void> {
  const byKey = new Map(accounts.map((a) => [connectorKey(a.connector.kind, a.account), a]));
  agenda.define<PollJobData>(
    POLL_JOB,
    async (job) => {
      const target = byKey.get(connectorKey(job.attrs.data.channel, job.attrs.data.account));
      if (!target) return; // an account removed from the configuration: its old job does nothing
      // a slow poll (X paging back through DMs) renews its lock; a dead poller's lock ends within the lifetime
      await renewingLock(job, lockLifetimeMs, () => pollAccount(target.connector, target.account, deps, target.fingerprint));
    },
    { concurrency: 4, lockLifetime: lockLifetimeMs },
  );
  for (const a of accounts) {
    const data = { channel: a.connector.kind, account: a.account };
    await agenda
      .create(POLL_JOB, data)
      .repeatEvery(a.intervalMs)
      .unique({ 'data.channel': data.channel, 'data.account': data.account })
      .save();
  }
}
