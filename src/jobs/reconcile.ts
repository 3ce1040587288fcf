import type { Agenda } from 'agenda';
import type { Outbox } from '../domain/outbox';
import { findUnfinished, reconcile, type ReconcileOptions, type Unrouted } from '../outbox/reconcile';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const RECONCILE_JOB = 'outbox.reconcile';
/** far longer than an outbox lease (JOBS_LOCK_LIFETIME_MS, renewed while the worker lives): an older attempt died with its process */
const STALE_MS = 5 * 60_000;

export interface ReconcileJobDeps {
  outbox: Outbox;
  announce: (conversation: Unrouted) => Promise<void>;
  everySeconds: number;
  graceSeconds: number;
  maxAgeHours: number;
  slack?: ReconcileOptions['slack'];
  /** JOBS_LOCK_LIFETIME_MS: a sweep over a large backlog renews it */
  lockLifetimeMs?: number;
}

/** The outbox's safety net: every `everySeconds`, queue again whatever a crash left unqueued. */
export async function scheduleReconcile(agenda: Agenda, deps: ReconcileJobDeps): Promise<void> {
  const lockLifetime = deps.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  agenda.define(RECONCILE_JOB, (job) => renewingLock(job, lockLifetime, async () => {
    const now = new Date();
    const found = await findUnfinished({ now, graceMs: deps.graceSeconds * 1000, maxAgeMs: deps.maxAgeHours * 3_600_000, staleMs: STALE_MS, slack: deps.slack });
    await reconcile(found, deps);
  }), { concurrency: 1, lockLifetime });
  // the reply-only sweep this job replaced may still be scheduled in an older database
  await agenda.cancel({ name: 'outbound.sweep' });
  await agenda.every(`${deps.everySeconds} seconds`, RECONCILE_JOB);
}
