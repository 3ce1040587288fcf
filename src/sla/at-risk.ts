import type { SlaPolicy } from '../domain/sla';
import { businessMinutesBetween } from '../domain/sla';
import { runningTargets, type SlaTarget } from './engine';
import type { ConversationFact } from './figures';

export interface AtRisk {
  id: string;
  department: string;
  customer: { name?: string | null; handle?: string | null };
  preview: string;
  target: SlaTarget;
  dueAt: Date;
  /** business time used of the target: 0.8 = 80 %, above 1 = breached */
  elapsedShare: number;
}

/** Running targets with at least `warnAt` of their business time used, the soonest due first. */
export function atRisk(facts: Iterable<ConversationFact>, policyOf: (d: string) => SlaPolicy | undefined, warnAt: number, now: Date): AtRisk[] {
  const out: AtRisk[] = [];
  for (const f of facts) {
    if (!f.sla || f.status === 'resolved') continue;
    const hours = policyOf(f.department)?.businessHours;
    for (const t of runningTargets(f.sla)) {
      const total = businessMinutesBetween(t.from, t.dueAt, hours);
      const used = businessMinutesBetween(t.from, now, hours);
      const share = total > 0 ? used / total : now >= t.dueAt ? 1 : 0;
      if (share >= warnAt) {
        out.push({ id: f.id, department: f.department, customer: f.customer, preview: f.preview, target: t.target, dueAt: t.dueAt, elapsedShare: Math.round(share * 1000) / 1000 });
      }
    }
  }
  return out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}
