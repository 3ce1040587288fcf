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

export type GroupBy = 'department' | 'channel' | 'agent';

/** The report's group key of a conversation per grouping. */
export const KEY: Record<GroupBy, unknown> = {
  department: '$department',
  channel: '$channel',
  agent: { $ifNull: ['$assignee.name', 'unassigned'] },
};

/** The UTC day a conversation started on, as the rollups file it. */
export const UTC_DAY = { $dateToString: { format: '%Y-%m-%d', date: '$firstMessageAt' } };

/** The one `$group` of the figures (report, day series, rollups): volume, the sums as of `now`, the pushed minutes. */
export function windowGroup(id: unknown, now: Date, minutes: { res: boolean } = { res: true }) {
  const res = minutes.res ? { res: { $push: '$sla.resolutionMinutes' } } : {};
  return { $group: { _id: id, volume: { $sum: 1 }, ...figureSums(now), frt: { $push: '$sla.firstResponseMinutes' }, ...res } };
}

/** A row of that `$group`. */
export type WindowRow<Id = unknown> = FigureSums & { _id: Id; volume: number; frt: unknown[]; res?: unknown[] };
