import type { Agenda } from 'agenda';
import type { SlaPolicy } from '../domain/sla';
import { raiseDueAlerts, type AlertSink } from '../sla/alerts';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const SLA_JOB = 'sla.check';

/** Every minute: warn about targets nearly used up and alert on breaches, each once (an indexed query on alert times). */
export async function scheduleSlaChecks(
  agenda: Agenda,
  deps: { policyOf: (d: string) => SlaPolicy | undefined; sink: AlertSink; lockLifetimeMs?: number },
): Promise<void> {
  const lockLifetime = deps.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  agenda.define(SLA_JOB, (job) => renewingLock(job, lockLifetime, async () => {
    await raiseDueAlerts(new Date(), deps.sink, deps.policyOf);
  }), { concurrency: 1, lockLifetime });
  await agenda.every('1 minute', SLA_JOB);
}
