import type { SlaPolicy } from '../domain/sla';
import { addBusinessMinutes, businessMinutesBetween } from '../domain/sla';
import { runningTargets, type SlaState, type SlaTarget } from './engine';

/**
 * A target whose clock runs, as stored in `Conversation.sla.running` so the at-risk lists and the alerts job
 * are indexed queries on times: `warnAt` is when `warnShare` of its business time is used, `alertAt` the
 * next alert still to raise (the warning, then the breach at `dueAt`; unset once the breach is raised).
 */
export interface RunningTarget {
  target: SlaTarget;
  from: Date;
  dueAt: Date;
  warnAt: Date;
  alertAt?: Date;
}

/** The moment `share` of the business time from `from` to `dueAt` is used (the due time when there is none). */
export function warnMoment(from: Date, dueAt: Date, share: number, policy: SlaPolicy | undefined): Date {
  const total = businessMinutesBetween(from, dueAt, policy?.businessHours);
  if (!(total > 0)) return dueAt;
  const at = addBusinessMinutes(from, share * total, policy?.businessHours);
  return at < dueAt ? at : dueAt;
}

/** The running targets of a state; none once resolved (a resolved conversation is at risk of nothing). */
export function runningOf(state: SlaState, policy: SlaPolicy | undefined, warnShare: number): RunningTarget[] {
  if (state.resolvedAt) return [];
  return runningTargets(state).map((t) => {
    const warnAt = warnMoment(t.from, t.dueAt, warnShare, policy);
    return { ...t, warnAt, alertAt: warnAt };
  });
}

/** Business time used of a target at `now`: 0.8 = 80 %, 1 or more = past due. */
export function elapsedShare(t: { from: Date; dueAt: Date }, now: Date, policy: SlaPolicy | undefined): number {
  const total = businessMinutesBetween(t.from, t.dueAt, policy?.businessHours);
  const used = businessMinutesBetween(t.from, now, policy?.businessHours);
  const share = total > 0 ? used / total : now >= t.dueAt ? 1 : 0;
  return Math.round(share * 1000) / 1000;
}

/**
 * What the figures need of one conversation's clocks, stored beside them (`sla.fig`) so a report is sums of
 * plain fields on the server (DocumentDB pays per expression and document): the breaches already decided,
 * and the due times of the clocks still running, each a breach once `now` passes it (engine.ts missedTargets).
 */
export interface SlaFigureFields {
  /** late first response, late resolution and late next responses so far */
  fixed: number;
  /** 1 once the first response came (it then counts for "within SLA") */
  answered: 0 | 1;
  /** the running first-response, resolution (not paused) and next-response clocks' due times */
  firstDue?: Date;
  resolutionDue?: Date;
  nextDue?: Date;
  /** answered with nothing missed yet: within SLA until this moment (a running clock's due time, or never) */
  metUntil?: Date;
  /** from this moment on nothing above depends on `now` (the latest due time or metUntil short of never; else 0) */
  settlesAt: Date;
}

/** The latest moment a Date holds: "never" for a clock that cannot breach. */
export const NEVER = new Date(8.64e15);

export function figureFields(s: SlaState): SlaFigureFields {
  const t = (d: Date | undefined | null) => (d ? d.getTime() : NaN);
  const late = (at: Date | undefined | null, due: Date | undefined | null) => (t(at) > t(due) ? 1 : 0);
  const firstDue = !s.firstResponseAt && s.firstResponseDueAt ? s.firstResponseDueAt : undefined;
  const resolutionDue = !s.resolvedAt && !s.waitingSince && s.resolutionDueAt ? s.resolutionDueAt : undefined;
  const nextDue = s.nextResponseDueAt ?? undefined;
  const fixed = late(s.firstResponseAt, s.firstResponseDueAt) + (s.resolvedAt ? late(s.resolvedAt, s.resolutionDueAt) : 0) + (s.nextResponseBreaches ?? 0);
  const answered = s.firstResponseAt ? 1 : 0;
  const runningDues = [resolutionDue, nextDue].filter((d): d is Date => d !== undefined).map((d) => d.getTime());
  const metUntil = answered && fixed === 0 ? new Date(Math.min(NEVER.getTime(), ...runningDues)) : undefined;
  const nowDependent = [firstDue, resolutionDue, nextDue, metUntil].filter((d): d is Date => d !== undefined && d < NEVER).map((d) => d.getTime());
  return {
    fixed,
    answered,
    ...(firstDue ? { firstDue } : {}),
    ...(resolutionDue ? { resolutionDue } : {}),
    ...(nextDue ? { nextDue } : {}),
    ...(metUntil ? { metUntil } : {}),
    settlesAt: new Date(Math.max(0, ...nowDependent)),
  };
}
