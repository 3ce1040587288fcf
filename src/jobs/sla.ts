import type { Agenda } from 'agenda';
import type { SlaPolicy } from '../domain/sla';
import { raiseAlerts, type AlertSink } from '../sla/alerts';
import { atRisk } from '../sla/at-risk';
import type { ConversationFacts } from '../sla/facts';
import { DEFAULT_LOCK_LIFETIME_MS, renewingLock } from './locks';

export const SLA_JOB = 'sla.check';

/** Every minute: warn about targets nearly used up and alert on breaches, each once. */
export async function scheduleSlaChecks(
  agenda: Agenda,
  deps: { facts: ConversationFacts; policyOf: (d: string) => SlaPolicy | undefined; warnAt: number; sink: AlertSink; lockLifetimeMs?: number },
): Promise<void> {
  const lockLifetime = deps.lockLifetimeMs ?? DEFAULT_LOCK_LIFETIME_MS;
  agenda.define(SLA_JOB, (job) => renewingLock(job, lockLifetime, async () => {
    if (!deps.facts.ready) return;
    await raiseAlerts(atRisk(deps.facts.values(), deps.policyOf, deps.warnAt, new Date()), deps.sink);
  }), { concurrency: 1, lockLifetime });
  await agenda.every('1 minute', SLA_JOB);
}
