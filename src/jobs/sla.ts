import type { Agenda } from 'agenda';
import type { SlaPolicy } from '../domain/sla';
import { raiseDueAlerts, type AlertSink } from '../sla/alerts';

export const SLA_JOB = 'sla.check';

/** Every minute: warn about targets nearly used up and alert on breaches, each once (an indexed query on alert times). */
export async function scheduleSlaChecks(
  agenda: Agenda,
  deps: { policyOf: (d: string) => SlaPolicy | undefined; sink: AlertSink },
): Promise<void> {
  agenda.define(SLA_JOB, async () => {
    await raiseDueAlerts(new Date(), deps.sink, deps.policyOf);
  }, { concurrency: 1 });
  await agenda.every('1 minute', SLA_JOB);
}
