import { DateTime } from 'luxon';
import { ConversationModel } from '../store/models/conversation';
import { breachesOf, COUNTED, decidedOf, figureSums, OPEN_FILTER, percentile, sortedMinutes, type FigureSums } from './pipeline';

export type GroupBy = 'department' | 'channel' | 'agent';

export interface Percentiles {
  p50: number | null;
  p90: number | null;
  count: number;
}

export interface GroupFigures {
  key: string;
  volume: number;
  backlog: number;
  firstResponse: Percentiles;
  resolution: Percentiles;
  withinSla: { met: number; total: number; share: number | null };
  breaches: number;
}

const KEY: Record<GroupBy, unknown> = {
  department: '$department',
  channel: '$channel',
  agent: { $ifNull: ['$assignee.name', 'unassigned'] },
};

type WindowRow = FigureSums & { _id: unknown; volume: number; frt: unknown[]; res: unknown[] };

function percentiles(values: unknown[] | undefined): Percentiles {
  const sorted = sortedMinutes(values ?? []);
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), count: sorted.length };
}

/**
 * Figures per group for conversations that started in [from, to): volume, first response and
 * resolution times (business minutes, nearest-rank p50/p90), share within SLA and breaches as of `now`;
 * backlog is what is open now among those that started before `to`. Two indexed aggregations of plain
 * fields (`sla.fig`); the percentiles are sorted here from the minutes the server collected.
 */
export async function slaFigures(from: Date, to: Date, groupBy: GroupBy, now: Date): Promise<GroupFigures[]> {
  const [rows, open] = await Promise.all([
    ConversationModel.aggregate<WindowRow>([
      { $match: { firstMessageAt: { $gte: from, $lt: to }, ...COUNTED } },
      { $group: { _id: KEY[groupBy], volume: { $sum: 1 }, ...figureSums(now), frt: { $push: '$sla.firstResponseMinutes' }, res: { $push: '$sla.resolutionMinutes' } } },
    ]),
    ConversationModel.aggregate<{ _id: unknown; backlog: number }>([
      { $match: { ...OPEN_FILTER, firstMessageAt: { $lt: to }, ...COUNTED } },
      { $group: { _id: KEY[groupBy], backlog: { $sum: 1 } } },
    ]),
  ]);
  const backlog = new Map(open.map((r) => [String(r._id), r.backlog]));
  const groups = new Map<string, GroupFigures>();
  for (const r of rows) {
    const key = String(r._id);
    const total = decidedOf(r);
    groups.set(key, {
      key,
      volume: r.volume,
      backlog: backlog.get(key) ?? 0,
      firstResponse: percentiles(r.frt),
      resolution: percentiles(r.res),
      withinSla: { met: r.met, total, share: total === 0 ? null : r.met / total },
      breaches: breachesOf(r),
    });
  }
  for (const [key, n] of backlog) {
    if (!groups.has(key)) groups.set(key, { key, volume: 0, backlog: n, firstResponse: percentiles(undefined), resolution: percentiles(undefined), withinSla: { met: 0, total: 0, share: null }, breaches: 0 });
  }
  return [...groups.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Per calendar day in `timeZone` (default UTC; the dashboard sends the viewer's): conversations started, breaches
 * among them and their first-response p50. The first day is the one `from` falls on there.
 */
export async function dailySeries(from: Date, to: Date, now: Date, department?: string, timeZone = 'UTC') {
  const rows = await ConversationModel.aggregate<WindowRow>([
    { $match: { firstMessageAt: { $gte: from, $lt: to }, ...COUNTED, ...(department ? { department } : {}) } },
    { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$firstMessageAt', timezone: timeZone } }, volume: { $sum: 1 }, ...figureSums(now), frt: { $push: '$sla.firstResponseMinutes' } } },
  ]);
  const byDay = new Map(rows.map((r) => [String(r._id), r]));
  const out: Array<{ date: string; volume: number; breaches: number; firstResponseP50: number | null }> = [];
  // day by day from midnight there: a DST day has 23 or 25 hours, so step by calendar day, not 24 h
  for (let d = DateTime.fromJSDate(from, { zone: timeZone }).startOf('day'); d.toMillis() < to.getTime(); d = d.plus({ days: 1 })) {
    const date = d.toISODate() ?? '';
    const r = byDay.get(date);
    out.push({ date, volume: r?.volume ?? 0, breaches: r ? breachesOf(r) : 0, firstResponseP50: r ? percentiles(r.frt).p50 : null });
  }
  return out;
}
