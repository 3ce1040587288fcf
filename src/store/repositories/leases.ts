import { setTimeout as sleep } from 'node:timers/promises';
import { claimUntil } from '../connection';
import { LeaseModel } from '../models/lease';

/** Takes the lease `key` for `owner` unless someone holds a live one; true when taken. */
export function acquireLease(key: string, owner: string, leaseMs: number, now = new Date()): Promise<boolean> {
  return claimUntil(LeaseModel, key, now, { owner, until: new Date(now.getTime() + leaseMs) });
}

export async function releaseLease(key: string, owner: string): Promise<void> {
  await LeaseModel.deleteOne({ _id: key, owner });
}

/** Moves the end of `owner`'s lease on; false when it is no longer theirs. */
export async function renewLease(key: string, owner: string, leaseMs: number): Promise<boolean> {
  const { matchedCount } = await LeaseModel.updateOne({ _id: key, owner }, { $set: { until: new Date(Date.now() + leaseMs) } });
  return matchedCount === 1;
}

/**
 * Runs `work` under the lease `key`, renewed every third of `leaseMs` while it runs: a dead holder's lease ends within
 * `leaseMs`, a live one's never does. `busy` when someone else holds it.
 */
export async function withLease<T, B>(key: string, owner: string, leaseMs: number, work: () => Promise<T>, busy: B, now?: Date): Promise<T | B> {
  if (!(await acquireLease(key, owner, leaseMs, now))) return busy;
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewing.then(() => renewLease(key, owner, leaseMs)).catch(() => undefined);
  }, Math.max(Math.floor(leaseMs / 3), 50));
  try {
    return await work();
  } finally {
    clearInterval(timer);
    // a renewal landing after the release would bring the lease back for a whole lifetime
    await renewing;
    await releaseLease(key, owner);
  }
}

/** Runs `work` under the lease `key` once it is free: waits while another holder's lease lives (a dead one's ends). */
export async function whenLeaseFree<T>(key: string, owner: string, leaseMs: number, work: () => Promise<T>, pollMs = 200): Promise<T> {
  const busy = Symbol('busy');
  for (;;) {
    const result = await withLease(key, owner, leaseMs, work, busy);
    if (result !== busy) return result;
    await sleep(pollMs);
  }
}
