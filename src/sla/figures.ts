import { DateTime } from 'luxon';
import { missedTargets, slaNumbers, type SlaNumbers, type SlaState } from './engine';

/** What the figures need of one conversation. */
export interface ConversationFact {
  id: string;
  department: string;
  channel: string;
  agent: string;
  firstMessageAt: Date;
  status: string;
  customer: { name?: string | null; handle?: string | null };
  preview: string;
  sla?: SlaState;
  /** the same times as numbers, so a report over 100,000 facts is arithmetic only */
  clock?: SlaNumbers;
  /** firstMessageAt in epoch milliseconds */
  startMs?: number;
}

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

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort(); // typed arrays sort numerically, and fast
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), count: sorted.length };
}

/**
 * Figures per group for conversations that started in [from, to): volume, first response and
 * resolution times (business minutes), share within SLA and breaches; backlog is what is open now.
 */
export function slaFigures(facts: Iterable<ConversationFact>, from: Date, to: Date, groupBy: GroupBy, now: Date): GroupFigures[] {
  const groups = new Map<string, { volume: number; backlog: number; frt: number[]; res: number[]; met: number; total: number; breaches: number }>();
  const group = (key: string) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { volume: 0, backlog: 0, frt: [], res: [], met: 0, total: 0, breaches: 0 }));
    return g;
  };
  const [fromMs, toMs, nowMs] = [from.getTime(), to.getTime(), now.getTime()];
  for (const f of facts) {
    const start = f.startMs ?? f.firstMessageAt.getTime();
    const inWindow = start >= fromMs && start < toMs;
    const open = f.status !== 'resolved' && start < toMs;
    if (!inWindow && !open) continue;
    const g = group(f[groupBy]);
    if (open) g.backlog += 1;
    if (!inWindow) continue;
    g.volume += 1;
    const c = f.clock ?? (f.sla && slaNumbers(f.sla));
    if (!c) continue;
    if (!Number.isNaN(c.firstMinutes)) g.frt.push(c.firstMinutes);
    if (!Number.isNaN(c.resolutionMinutes)) g.res.push(c.resolutionMinutes);
    const missed = missedTargets(c, nowMs);
    g.breaches += missed;
    // a conversation counts once its first response came or was due
    const decided = !Number.isNaN(c.firstAt) || nowMs > c.firstDue;
    if (decided) {
      g.total += 1;
      if (missed === 0) g.met += 1;
    }
  }
  return [...groups.entries()]
    .filter(([, g]) => g.volume > 0 || g.backlog > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => ({
      key,
      volume: g.volume,
      backlog: g.backlog,
      firstResponse: percentiles(g.frt),
      resolution: percentiles(g.res),
      withinSla: { met: g.met, total: g.total, share: g.total === 0 ? null : g.met / g.total },
      breaches: g.breaches,
    }));
}

/**
 * Per calendar day in `timeZone` (default UTC; the dashboard sends the viewer's): conversations started, breaches
 * among them and their first-response p50. The first day is the one `from` falls on there.
 */
export function dailySeries(facts: Iterable<ConversationFact>, from: Date, to: Date, now: Date, department?: string, timeZone = 'UTC') {
  const dayOf = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).toISODate() ?? '';
  const days = new Map<string, ConversationFact[]>();
  // day by day from midnight there: a DST day has 23 or 25 hours, so step by calendar day, not 24 h
  for (let d = DateTime.fromJSDate(from, { zone: timeZone }).startOf('day'); d.toMillis() < to.getTime(); d = d.plus({ days: 1 })) {
    days.set(d.toISODate() ?? '', []);
  }
  for (const f of facts) {
    if (f.firstMessageAt < from || f.firstMessageAt >= to || (department && f.department !== department)) continue;
    days.get(dayOf(f.firstMessageAt))?.push(f);
  }
  return [...days.entries()].map(([date, list]) => {
    const [g] = slaFigures(list.map((f) => ({ ...f, department: 'all' })), from, to, 'department', now);
    return { date, volume: list.length, breaches: g?.breaches ?? 0, firstResponseP50: g?.firstResponse.p50 ?? null };
  });
}
