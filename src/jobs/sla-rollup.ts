import type { Agenda } from 'agenda';
import { refreshSlaRollups } from '../sla/rollup';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const SLA_ROLLUP_JOB = 'sla.rollup';

/** Every `everySeconds` (SLA_ROLLUP_SECONDS): recompute the SLA report's daily rollups that changed (src/sla/rollup.ts). */
export async function scheduleSlaRollups(agenda: Agenda, deps: { everySeconds: number; lockLifetimeMs?: number }): Promise<void> {
  const lockLifetime = deps.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  agenda.define(SLA_ROLLUP_JOB, (job) => renewingLock(job, lockLifetime, async () => {
    await refreshSlaRollups(new Date());
  }), { concurrency: 1, lockLifetime });
  await agenda.every(`${deps.everySeconds} seconds`, SLA_ROLLUP_JOB);
}
