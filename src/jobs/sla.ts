import type { Agenda } from 'agenda';
import type { SlaPolicy } from '../domain/sla';
import { raiseAlerts, type AlertSink } from '../sla/alerts';
import { atRisk } from '../sla/at-risk';
import type { ConversationFacts } from '../sla/facts';

export const SLA_JOB = 'sla.check';

/** Every minute: warn about targets nearly used up and alert on breaches, each once. */
export async function scheduleSlaChecks(
  agenda: Agenda,
  deps: { facts: ConversationFacts; policyOf: (d: string) => SlaPolicy | undefined; warnAt: number; sink: AlertSink },
): Promise<void> {
  agenda.define(SLA_JOB, async () => {
    if (!deps.facts.ready) return;
    await raiseAlerts(atRisk(deps.facts.values(), deps.policyOf, deps.warnAt, new Date()), deps.sink);
  }, { concurrency: 1 });
  await agenda.every('1 minute', SLA_JOB);
}
