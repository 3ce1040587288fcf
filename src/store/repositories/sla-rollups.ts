import { randomUUID } from 'node:crypto';
import { SlaRollupStateModel } from '../models/sla-rollup';

export const ROLLUP_STATE_ID = 'sla';
const DAY_MS = 86_400_000;

/**
 * After deleting conversations: their days' rollups may hold them, so the SLA report reads those days raw until the
 * next rollup run recomputes them. Each entry has its own id, so a run removes only the entries it has seen.
 */
export async function markRollupDaysStale(firstMessageAts: Date[]): Promise<void> {
  const days = new Set(firstMessageAts.map((d) => Math.floor(d.getTime() / DAY_MS) * DAY_MS));
  const entries = [...days].map((d) => ({ day: new Date(d), id: randomUUID() }));
  // no state yet: no rollups to correct
  if (entries.length > 0) await SlaRollupStateModel.updateOne({ _id: ROLLUP_STATE_ID }, { $push: { dirtyDays: { $each: entries } } });
}
