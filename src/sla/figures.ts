import { DateTime } from 'luxon';
import { ConversationModel } from '../store/models/conversation';
import { MinuteCounts, type Percentiles } from './minutes';
import { breachesOf, COUNTED, decidedOf, KEY, OPEN_FILTER, windowGroup, type FigureSums, type GroupBy, type WindowRow } from './pipeline';
import { windowParts } from './rollup-read';

export type { GroupBy } from './pipeline';
export type { Percentiles } from './minutes';

export interface GroupFigures {
  key: string;
  volume: number;
  backlog: number;
  firstResponse: Percentiles;
  resolution: Percentiles;
  withinSla: { met: number; total: number; share: number | null };
  breaches: number;
}

type Sums = FigureSums & { volume: number; frt: MinuteCounts; res: MinuteCounts };
type Part = FigureSums & { volume: number };
const SUMS = ['volume', 'fixed', 'answered', 'firstDue', 'resolutionDue', 'nextDue', 'met'] as const;

function sumsOf(groups: Map<string, Sums>, key: string): Sums {
  let s = groups.get(key);
  if (!s) {
    s = { volume: 0, fixed: 0, answered: 0, firstDue: 0, resolutionDue: 0, nextDue: 0, met: 0, frt: new MinuteCounts(), res: new MinuteCounts() };
    groups.set(key, s);
  }
  return s;
}

function addPart(s: Sums, part: Partial<Part>): void {
  for (const f of SUMS) s[f] += part[f] ?? 0;
}

/**
 * Figures per group for conversations that started in [from, to): volume, first response and
 * resolution times (business minutes, nearest-rank p50/p90), share within SLA and breaches as of `now`;
 * backlog is what is open now among those that started before `to`. The window's sums come from the daily
 * rollups plus raw aggregations of what they do not hold (rollup-read.ts), exactly the figures one raw
 * `$group` over the window gives; the backlog is a count of the open conversations.
 */
export async function slaFigures(from: Date, to: Date, groupBy: GroupBy, now: Date): Promise<GroupFigures[]> {
  const [parts, open] = await Promise.all([
    windowParts(from, to, groupBy, now),
    ConversationModel.aggregate<{ _id: unknown; backlog: number }>([
      { $match: { ...OPEN_FILTER, firstMessageAt: { $lt: to }, ...COUNTED } },
      { $group: { _id: KEY[groupBy], backlog: { $sum: 1 } } },
    ]),
  ]);
  const sums = new Map<string, Sums>();
  for (const r of parts.raw) {
    const s = sumsOf(sums, String(r._id));
    addPart(s, r);
    s.frt.addValues(r.frt);
    s.res.addValues(r.res);
  }
  for (const d of parts.rollups) {
    const s = sumsOf(sums, d.key);
    addPart(s, d as Partial<Part>);
    s.frt.addPacked(d.frtPacked).addHistogram(d.frt);
    s.res.addPacked(d.resPacked).addHistogram(d.res);
  }
  const backlog = new Map(open.map((r) => [String(r._id), r.backlog]));
  for (const key of backlog.keys()) sumsOf(sums, key);
  return [...sums]
    .map(([key, s]): GroupFigures => {
      const total = decidedOf(s);
      return {
        key,
        volume: s.volume,
        backlog: backlog.get(key) ?? 0,
        firstResponse: s.frt.percentiles(),
        resolution: s.res.percentiles(),
        withinSla: { met: s.met, total, share: total === 0 ? null : s.met / total },
        breaches: breachesOf(s),
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Per calendar day in `timeZone` (default UTC; the dashboard sends the viewer's): conversations started, breaches
 * among them and their first-response p50. The first day is the one `from` falls on there.
 */
export async function dailySeries(from: Date, to: Date, now: Date, department?: string, timeZone = 'UTC') {
  const rows = await ConversationModel.aggregate<WindowRow>([
    { $match: { firstMessageAt: { $gte: from, $lt: to }, ...COUNTED, ...(department ? { department } : {}) } },
    windowGroup({ $dateToString: { format: '%Y-%m-%d', date: '$firstMessageAt', timezone: timeZone } }, now, { res: false }),
  ]);
  const byDay = new Map(rows.map((r) => [String(r._id), r]));
  const out: Array<{ date: string; volume: number; breaches: number; firstResponseP50: number | null }> = [];
  // day by day from midnight there: a DST day has 23 or 25 hours, so step by calendar day, not 24 h
  for (let d = DateTime.fromJSDate(from, { zone: timeZone }).startOf('day'); d.toMillis() < to.getTime(); d = d.plus({ days: 1 })) {
    const date = d.toISODate() ?? '';
    const r = byDay.get(date);
    out.push({ date, volume: r?.volume ?? 0, breaches: r ? breachesOf(r) : 0, firstResponseP50: r ? new MinuteCounts().addValues(r.frt).percentiles().p50 : null });
  }
  return out;
}
