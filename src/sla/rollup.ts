import type { AnyBulkWriteOperation } from 'mongoose';
import { ConversationModel } from '../store/models/conversation';
import { SlaRollupModel, SlaRollupStateModel } from '../store/models/sla-rollup';
import { ROLLUP_STATE_ID } from '../store/repositories/sla-rollups';
import { MinuteCounts } from './minutes';
import { COUNTED, KEY, UTC_DAY, windowGroup, type GroupBy, type WindowRow } from './pipeline';
import { DAY_MS, dayOf, dayRanges, daysBetween, floorDay } from './rollup-days';

/** A write whose `updatedAt` is this much older than a run's start may still be landing (in flight, clock skew). */
export const ROLLUP_MARGIN_MS = 2 * 60_000;
const GROUPINGS: GroupBy[] = ['department', 'channel', 'agent'];

/** Conversations whose figures may still change with `now` at `at`: the report reads them raw. */
export const unsettledAt = (at: Date) => ({ 'sla.fig.settlesAt': { $gte: at } });
const settledAt = (at: Date) => ({ 'sla.fig.settlesAt': { $not: { $gte: at } } });

type ComboRow = WindowRow<{ day: string } & Record<GroupBy, unknown>>;

/**
 * Brings the rollups up to date at `now`: every full UTC day before today that has none yet, and every day with a
 * conversation changed since the watermark, settled since the last run, or deleted (store/repositories/sla-rollups.ts `markRollupDaysStale`) is
 * recomputed from its conversations and replaced. Returns how many days it recomputed.
 */
export async function refreshSlaRollups(now = new Date(), marginMs = ROLLUP_MARGIN_MS): Promise<{ days: number }> {
  const state = await SlaRollupStateModel.findById(ROLLUP_STATE_ID).lean();
  const today = floorDay(now);
  const days = new Set<number>();
  let coveredFrom: number;
  if (!state) {
    const first = await ConversationModel.findOne({}, { firstMessageAt: 1 }).sort({ firstMessageAt: 1 }).lean();
    coveredFrom = first ? floorDay(first.firstMessageAt) : today;
  } else {
    const changed = await Promise.all([
      daysOf({ updatedAt: { $gt: state.watermark } }),
      daysOf({ 'sla.fig.settlesAt': { $gte: state.computedAt, $lt: now } }),
    ]);
    for (const d of [...changed.flat(), ...(state.dirtyDays ?? []).map((e) => e.day.getTime())]) days.add(d);
    coveredFrom = Math.min(state.coveredFrom.getTime(), ...days);
  }
  for (const d of daysBetween(coveredFrom, today)) if (!state || d >= state.coveredTo.getTime()) days.add(d);
  const todo = [...days].filter((d) => d >= coveredFrom && d < today);
  // at most a week per aggregation: the first run over years of history stays a series of modest $groups
  for (const [a, b] of dayRanges(todo)) for (let d = a; d < b; d += 7 * DAY_MS) await rollupRange([d, Math.min(b, d + 7 * DAY_MS)], now);
  await SlaRollupStateModel.updateOne(
    { _id: ROLLUP_STATE_ID },
    {
      $set: { coveredFrom: new Date(coveredFrom), coveredTo: new Date(Math.max(today, coveredFrom)), computedAt: now, watermark: new Date(now.getTime() - marginMs) },
      $pull: { dirtyDays: { id: { $in: (state?.dirtyDays ?? []).map((e) => e.id) } } },
    },
    { upsert: true },
  );
  return { days: todo.length };
}

async function daysOf(match: Record<string, unknown>): Promise<number[]> {
  const rows = await ConversationModel.aggregate<{ _id: string }>([{ $match: match }, { $group: { _id: UTC_DAY } }]);
  return rows.map((r) => dayOf(r._id));
}

/** One aggregation for a run of days (the report's `$group` by day and all three keys), then one bulk write. */
async function rollupRange([from, to]: [number, number], now: Date): Promise<void> {
  const match = { firstMessageAt: { $gte: new Date(from), $lt: new Date(to) }, ...settledAt(now), ...COUNTED };
  const rows = await ConversationModel.aggregate<ComboRow>([
    { $match: match },
    windowGroup({ day: UTC_DAY, department: KEY.department, channel: KEY.channel, agent: KEY.agent }, now),
  ]);
  const docs = new Map<string, ReturnType<typeof emptyDoc>>();
  for (const r of rows) {
    for (const groupBy of GROUPINGS) {
      const day = dayOf(r._id.day);
      const key = String(r._id[groupBy]);
      const id = `${new Date(day).toISOString().slice(0, 10)}:${groupBy}:${key}`;
      const doc = docs.get(id) ?? emptyDoc(id, day, groupBy, key, now);
      docs.set(id, doc);
      doc.volume += r.volume;
      for (const f of ['fixed', 'answered', 'firstDue', 'resolutionDue', 'nextDue', 'met'] as const) doc[f] += r[f];
      doc.frtCounts.addValues(r.frt);
      doc.resCounts.addValues(r.res);
    }
  }
  // a key gone from a day (every conversation reassigned away) keeps an empty document stamped now
  // every grouping named, so the (groupBy, day) index serves the day range
  const before = await SlaRollupModel.find({ groupBy: { $in: GROUPINGS }, day: { $gte: new Date(from), $lt: new Date(to) } }, { _id: 1, day: 1, groupBy: 1, key: 1 }).lean();
  for (const b of before) if (!docs.has(b._id)) docs.set(b._id, emptyDoc(b._id, b.day.getTime(), b.groupBy, b.key, now));
  const ops: Array<AnyBulkWriteOperation> = [...docs.values()].map(({ frtCounts, resCounts, ...doc }) => ({
    replaceOne: { filter: { _id: doc._id }, replacement: { ...doc, frtPacked: frtCounts.toPacked(), resPacked: resCounts.toPacked() }, upsert: true },
  }));
  if (ops.length > 0) await SlaRollupModel.bulkWrite(ops, { ordered: false });
}

function emptyDoc(_id: string, day: number, groupBy: GroupBy, key: string, now: Date) {
  return {
    _id, day: new Date(day), groupBy, key, volume: 0, fixed: 0, answered: 0, firstDue: 0, resolutionDue: 0, nextDue: 0, met: 0,
    frtCounts: new MinuteCounts(), resCounts: new MinuteCounts(), computedAt: now,
  };
}
