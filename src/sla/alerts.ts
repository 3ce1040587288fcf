import { insertOnce } from '../store/connection';
import { SlaAlertModel } from '../store/models/sla-alert';
import type { AtRisk } from './at-risk';

export interface AlertSink {
  warn(item: AtRisk): Promise<void>;
  breach(item: AtRisk): Promise<void>;
}

/**
 * Raises each warning (target nearly used up) and each breach (past due) once: the alert is stored
 * first under an id made of conversation, target, due time and kind, and marked posted after the
 * sink took it; one that was stored but not posted (a failed Slack call) is posted on the next run.
 */
export async function raiseAlerts(items: AtRisk[], sink: AlertSink): Promise<{ warnings: number; breaches: number }> {
  const counts = { warnings: 0, breaches: 0 };
  for (const item of items) {
    const kind = item.elapsedShare >= 1 ? 'breach' : 'warning';
    const _id = `${item.id}:${item.target}:${item.dueAt.getTime()}:${kind}`;
    const created = await insertOnce(() =>
      SlaAlertModel.create({ _id, conversationId: item.id, department: item.department, target: item.target, kind, dueAt: item.dueAt }),
    );
    if (!created) {
      const existing = await SlaAlertModel.findById(_id, { postedAt: 1 }).lean();
      if (existing?.postedAt) continue;
    }
    await (kind === 'breach' ? sink.breach(item) : sink.warn(item));
    await SlaAlertModel.updateOne({ _id }, { $set: { postedAt: new Date() } });
    counts[kind === 'breach' ? 'breaches' : 'warnings'] += 1;
  }
  return counts;
}
