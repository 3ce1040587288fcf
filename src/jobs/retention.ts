import type { Agenda } from 'agenda';
import { runRetention } from '../retention/plan';
import type { Logger } from '../runtime/logger';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const RETENTION_JOB = 'privacy.retention';

/** On RETENTION_SCHEDULE: delete the resolved conversations past their retention (src/retention/plan.ts). */
export async function scheduleRetention(agenda: Agenda, deps: { defaultDays?: number; schedule: string; logger: Logger; lockLifetimeMs?: number }): Promise<void> {
  const lockLifetime = deps.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  agenda.define(RETENTION_JOB, (job) => renewingLock(job, lockLifetime, async () => {
    const result = await runRetention(deps.defaultDays);
    if (result.total > 0) deps.logger.info({ deleted: result.deleted }, 'retention: resolved conversations past their retention deleted');
  }), { concurrency: 1, lockLifetime });
  await agenda.every(deps.schedule, RETENTION_JOB);
}
