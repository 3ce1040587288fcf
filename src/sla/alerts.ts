import type { SlaPolicy } from '../domain/sla';
import { insertOnce } from '../store/connection';
import { ConversationModel } from '../store/models/conversation';
import { SlaAlertModel } from '../store/models/sla-alert';
import type { AtRisk } from './at-risk';
import type { SlaTarget } from './engine';
import { OPEN_FILTER } from './pipeline';
import { elapsedShare } from './running';

export interface AlertSink {
  warn(item: AtRisk): Promise<void>;
  breach(item: AtRisk): Promise<void>;
}

/**
 * Raises one warning (target nearly used up) or breach (past due) once: the alert is stored first under an
 * id made of conversation, target, due time and kind, and marked posted after the sink took it; one that was
 * stored but not posted (a failed Slack call) is posted on the next run. True when it was posted now.
 */
async function raiseOnce(item: AtRisk, kind: 'warning' | 'breach', sink: AlertSink): Promise<boolean> {
  const _id = `${item.id}:${item.target}:${item.dueAt.getTime()}:${kind}`;
  const created = await insertOnce(() =>
    SlaAlertModel.create({ _id, conversationId: item.id, department: item.department, target: item.target, kind, dueAt: item.dueAt }),
  );
  if (!created) {
    const existing = await SlaAlertModel.findById(_id, { postedAt: 1 }).lean();
    if (existing?.postedAt) return false;
  }
  await (kind === 'breach' ? sink.breach(item) : sink.warn(item));
  await SlaAlertModel.updateOne({ _id }, { $set: { postedAt: new Date() } });
  return true;
}

type Due = {
  _id: unknown;
  department: string;
  status: string;
  customer?: AtRisk['customer'] | null;
  preview?: string;
  sla?: { running?: Array<{ target: SlaTarget; from: Date; dueAt: Date; alertAt?: Date | null }> | null } | null;
};

/**
 * The alerts due at `now`, found by the index on `sla.running.alertAt`: a target past its warning time is
 * warned about, one past due breached; then its `alertAt` moves on (to the due time, or away once breached),
 * matched on target and due time so a clock that moved meanwhile keeps its own.
 */
export async function raiseDueAlerts(now: Date, sink: AlertSink, policyOf: (d: string) => SlaPolicy | undefined): Promise<{ warnings: number; breaches: number }> {
  const counts = { warnings: 0, breaches: 0 };
  const due = await ConversationModel.find(
    { ...OPEN_FILTER, 'sla.running.alertAt': { $lte: now } },
    { department: 1, status: 1, customer: 1, preview: 1, 'sla.running': 1 },
  ).lean<Due[]>();
  for (const c of due) {
    for (const t of c.sla?.running ?? []) {
      if (!t.alertAt || t.alertAt > now) continue;
      const kind = now >= t.dueAt ? 'breach' : 'warning';
      const item: AtRisk = {
        id: String(c._id),
        department: c.department,
        status: c.status,
        customer: { name: c.customer?.name, handle: c.customer?.handle },
        preview: c.preview ?? '',
        target: t.target,
        dueAt: t.dueAt,
        elapsedShare: elapsedShare(t, now, policyOf(c.department)),
      };
      if (await raiseOnce(item, kind, sink)) counts[kind === 'breach' ? 'breaches' : 'warnings'] += 1;
      const where = { _id: c._id, 'sla.running': { $elemMatch: { target: t.target, dueAt: t.dueAt } } };
      await ConversationModel.updateOne(where, kind === 'warning' ? { $set: { 'sla.running.$.alertAt': t.dueAt } } : { $unset: { 'sla.running.$.alertAt': 1 } });
    }
  }
  return counts;
}
