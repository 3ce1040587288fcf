// The figures' $group accumulators over the fields `sla.fig` stores (running.ts figureFields), as of `now`.
import { NEVER } from './running';

/** What the figures count: not a blocked sender's conversation, nor one that needs no reply (neither has a clock). */
export const COUNTED = { blocked: { $ne: true }, needsReply: { $ne: false } } as const;

/** Open now: anything not resolved. */
export const OPEN_FILTER = { status: { $ne: 'resolved' } } as const;

/** 1 when a running clock's due time is before `now` (an absent one never is). */
const passed = (path: string, now: Date) => ({ $sum: { $cond: [{ $lt: [{ $ifNull: [path, NEVER] }, now] }, 1, 0] } });

/** Sums that make breaches (fixed + firstDue + resolutionDue + nextDue), within-SLA total (answered + firstDue) and met. */
export function figureSums(now: Date) {
  return {
    fixed: { $sum: '$sla.fig.fixed' },
    answered: { $sum: '$sla.fig.answered' },
    firstDue: passed('$sla.fig.firstDue', now),
    resolutionDue: passed('$sla.fig.resolutionDue', now),
    nextDue: passed('$sla.fig.nextDue', now),
    // an absent metUntil (not answered, or something missed) compares below any date
    met: { $sum: { $cond: [{ $gte: ['$sla.fig.metUntil', now] }, 1, 0] } },
  };
}

export interface FigureSums {
  fixed: number;
  answered: number;
  firstDue: number;
  resolutionDue: number;
  nextDue: number;
  met: number;
}

export const breachesOf = (s: FigureSums) => s.fixed + s.firstDue + s.resolutionDue + s.nextDue;
/** a conversation counts for "within SLA" once its first response came or was due */
export const decidedOf = (s: FigureSums) => s.answered + s.firstDue;

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}

/** The measured minutes the server pushed (absent or null where a clock has not stopped), sorted. */
export function sortedMinutes(values: unknown[]): Float64Array {
  return Float64Array.from(values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v))).sort();
}
