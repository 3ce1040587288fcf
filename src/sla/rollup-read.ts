import { ConversationModel } from '../store/models/conversation';
import { SlaRollupModel, SlaRollupStateModel, type SlaRollupDoc } from '../store/models/sla-rollup';
import { ROLLUP_STATE_ID } from '../store/repositories/sla-rollups';
import { COUNTED, KEY, UTC_DAY, windowGroup, type GroupBy, type WindowRow } from './pipeline';
import { unsettledAt } from './rollup';
import type { PackedBytes } from './minutes';
import { ceilDay, dayOf, dayRanges, daysBetween, floorDay } from './rollup-days';

/** What the report adds for a window: raw rows of the `$group`, and the days' rollups. */
export interface WindowParts {
  raw: WindowRow[];
  rollups: RollupRow[];
}

/** A rollup as read: the driver hands the packed histograms back as BSON Binary. */
export type RollupRow = Omit<SlaRollupDoc, 'frtPacked' | 'resPacked'> & { frtPacked?: PackedBytes | null; resPacked?: PackedBytes | null };

const dayRange = (from: number, to: number) => ({ day: { $gte: new Date(from), $lt: new Date(to) } });

const rawRows = (from: number, to: number, groupBy: GroupBy, now: Date) =>
  ConversationModel.aggregate<WindowRow>([{ $match: { firstMessageAt: { $gte: new Date(from), $lt: new Date(to) }, ...COUNTED } }, windowGroup(KEY[groupBy], now)]);

/**
 * The window [from, to) as of `now`, split so the sum is exactly what one raw aggregation gives: the full UTC days the
 * rollups cover and no change since touched come from the rollups, plus, raw, the conversations of those days that
 * still depend on `now` at the rollups' `computedAt`; everything else (partial first and last day, today, stale days)
 * is aggregated raw.
 */
export async function windowParts(from: Date, to: Date, groupBy: GroupBy, now: Date): Promise<WindowParts> {
  const state = await SlaRollupStateModel.findById(ROLLUP_STATE_ID).lean();
  const first = state ? ceilDay(Math.max(from.getTime(), state.coveredFrom.getTime())) : 0;
  const last = state ? floorDay(Math.min(to.getTime(), state.coveredTo.getTime())) : 0;
  // rollups hold what was settled at computedAt: a report as of an earlier moment is raw
  if (!state || now < state.computedAt || first >= last) return { raw: await rawRows(from.getTime(), to.getTime(), groupBy, now), rollups: [] };
  const T = state.computedAt;
  // one round trip for everything that does not wait on which days are stale
  const [changed, docs, unsettled, ...edges] = await Promise.all([
    // no firstMessageAt range in these two: over a long window it matches nearly every document, and the planner's
    // bitmap AND of both indexes then costs more than the small set the other field picks; days outside are dropped below
    ConversationModel.aggregate<{ _id: string }>([{ $match: { updatedAt: { $gt: state.watermark } } }, { $group: { _id: UTC_DAY } }]),
    SlaRollupModel.find({ groupBy, ...dayRange(first, last) }).lean(),
    ConversationModel.aggregate<WindowRow<{ day: string; key: unknown }>>([{ $match: { ...unsettledAt(T), ...COUNTED } }, windowGroup({ day: UTC_DAY, key: KEY[groupBy] }, now)]),
    ...([[from.getTime(), first], [last, to.getTime()]] as const).filter(([a, b]) => a < b).map(([a, b]) => rawRows(a, b, groupBy, now)),
  ]);
  // only days inside [first, last): a raw range must never reach outside the window
  const stale = new Set([...changed.map((r) => dayOf(r._id)), ...(state.dirtyDays ?? []).map((e) => floorDay(e.day))].filter((d) => d >= first && d < last));
  // a day rewritten after the state was read is being recomputed: raw
  for (const d of docs) if (d.computedAt > T) stale.add(d.day.getTime());
  const fromRollups = new Set(daysBetween(first, last).filter((d) => !stale.has(d)));
  const staleRows = await Promise.all(dayRanges(stale).map(([a, b]) => rawRows(a, b, groupBy, now)));
  return {
    raw: [...edges.flat(), ...staleRows.flat(), ...unsettled.filter((r) => fromRollups.has(dayOf(r._id.day))).map((r) => ({ ...r, _id: r._id.key }))],
    rollups: docs.filter((d) => d.volume > 0 && fromRollups.has(d.day.getTime())),
  };
}
