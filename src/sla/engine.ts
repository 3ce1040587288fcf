import type { SlaPolicy } from '../domain/sla';
import { addBusinessMinutes, businessMinutesBetween } from '../domain/sla';

/** The SLA clocks of one conversation; minutes are business minutes under the running policy. */
export interface SlaState {
  department: string;
  /** when the running policy started: routing, or the last reassignment */
  startedAt: Date;
  firstResponseDueAt?: Date;
  nextResponseDueAt?: Date;
  /** the customer message the next response answers */
  nextResponseFrom?: Date;
  resolutionDueAt?: Date;
  firstResponseAt?: Date;
  firstResponseMinutes?: number;
  resolvedAt?: Date;
  resolutionMinutes?: number;
  /** waiting on the customer since then: the resolution clock is paused */
  waitingSince?: Date;
  waitingMinutes: number;
  /** next responses that came after their due time */
  nextResponseBreaches: number;
}

export type SlaEvent =
  | { type: 'routed'; at: Date; department: string }
  | { type: 'reassigned'; at: Date; department: string }
  | { type: 'customerMessage'; at: Date }
  | { type: 'agentReply'; at: Date }
  | { type: 'status'; at: Date; status: 'open' | 'waiting' | 'resolved' };

const add = (at: Date, minutes: number, policy: SlaPolicy) => addBusinessMinutes(at, minutes, policy.businessHours);
const between = (from: Date, to: Date, policy: SlaPolicy) => businessMinutesBetween(from, to, policy.businessHours);

/** Applies one event to the clocks; `policy` is the policy of the department after the event. */
export function applySlaEvent(state: SlaState | undefined, event: SlaEvent, policy: SlaPolicy): SlaState {
  const at = event.at;
  switch (event.type) {
    case 'routed':
    case 'reassigned': {
      // a new department's policy starts now; a first response already given stays given
      const base: SlaState = state ? { ...state, department: event.department, startedAt: at } : { department: event.department, startedAt: at, waitingMinutes: 0, nextResponseBreaches: 0 };
      return {
        ...base,
        firstResponseDueAt: base.firstResponseAt ? base.firstResponseDueAt : add(at, policy.firstResponseMinutes, policy),
        nextResponseDueAt: base.nextResponseDueAt && policy.nextResponseMinutes !== undefined ? add(at, policy.nextResponseMinutes, policy) : undefined,
        resolutionDueAt: base.resolvedAt ? base.resolutionDueAt : add(at, policy.resolutionMinutes, policy),
        waitingMinutes: event.type === 'reassigned' ? 0 : base.waitingMinutes,
        waitingSince: base.waitingSince ? at : undefined,
      };
    }
    case 'customerMessage': {
      if (!state) throw new Error('customer message before routing');
      const resumed = state.waitingSince ? resume(state, at, policy) : state;
      const owed = !resumed.firstResponseAt || resumed.nextResponseDueAt;
      const reopened = resumed.resolvedAt ? { ...resumed, resolvedAt: undefined, resolutionMinutes: undefined } : resumed;
      if (owed || policy.nextResponseMinutes === undefined) return reopened;
      return { ...reopened, nextResponseFrom: at, nextResponseDueAt: add(at, policy.nextResponseMinutes, policy) };
    }
    case 'agentReply': {
      if (!state) throw new Error('reply before routing');
      const first = state.firstResponseAt
        ? {}
        : { firstResponseAt: at, firstResponseMinutes: round(between(state.startedAt, at, policy)) };
      const late = state.nextResponseDueAt && at > state.nextResponseDueAt ? 1 : 0;
      return { ...state, ...first, nextResponseDueAt: undefined, nextResponseFrom: undefined, nextResponseBreaches: state.nextResponseBreaches + late };
    }
    case 'status': {
      if (!state) throw new Error('status change before routing');
      if (event.status === 'waiting') return state.waitingSince || state.resolvedAt ? state : { ...state, waitingSince: at };
      const resumed = state.waitingSince ? resume(state, at, policy) : state;
      if (event.status === 'open') return { ...resumed, resolvedAt: undefined, resolutionMinutes: undefined };
      const worked = between(state.startedAt, at, policy) - resumed.waitingMinutes;
      return { ...resumed, resolvedAt: at, resolutionMinutes: round(Math.max(0, worked)), nextResponseDueAt: undefined };
    }
  }
}

/** Leaving "waiting on customer": the paused time moves the resolution due time out. */
function resume(state: SlaState, at: Date, policy: SlaPolicy): SlaState {
  const since = state.waitingSince ?? at;
  const paused = between(since, at, policy);
  const remaining = state.resolutionDueAt ? Math.max(0, between(since, state.resolutionDueAt, policy)) : undefined;
  return {
    ...state,
    waitingSince: undefined,
    waitingMinutes: state.waitingMinutes + paused,
    resolutionDueAt: remaining === undefined ? undefined : add(at, remaining, policy),
  };
}

const round = (minutes: number) => Math.round(minutes * 100) / 100;

export type SlaTarget = 'firstResponse' | 'nextResponse' | 'resolution';

/** The targets still running, with their due times (a paused resolution clock is not running). */
export function runningTargets(state: SlaState): Array<{ target: SlaTarget; from: Date; dueAt: Date }> {
  const out: Array<{ target: SlaTarget; from: Date; dueAt: Date }> = [];
  if (!state.firstResponseAt && state.firstResponseDueAt) out.push({ target: 'firstResponse', from: state.startedAt, dueAt: state.firstResponseDueAt });
  if (state.nextResponseDueAt) out.push({ target: 'nextResponse', from: state.nextResponseFrom ?? state.startedAt, dueAt: state.nextResponseDueAt });
  if (!state.resolvedAt && !state.waitingSince && state.resolutionDueAt) out.push({ target: 'resolution', from: state.startedAt, dueAt: state.resolutionDueAt });
  return out;
}

/** Which targets this conversation missed, as of `now` (a running clock past its due time counts). */
export function breachesOf(state: SlaState, now: Date): { firstResponse: boolean; resolution: boolean; nextResponse: number } {
  const c = slaNumbers(state);
  const t = now.getTime();
  return { firstResponse: firstMissed(c, t), resolution: resolutionMissed(c, t), nextResponse: nextMissed(c, t) };
}

/** Epoch milliseconds of an SLA state (NaN where unset) and its measured minutes. */
export interface SlaNumbers {
  firstDue: number;
  firstAt: number;
  firstMinutes: number;
  resolutionDue: number;
  resolvedAt: number;
  resolutionMinutes: number;
  nextDue: number;
  waiting: boolean;
  nextBreaches: number;
}

const ms = (d: Date | undefined | null) => (d ? d.getTime() : NaN);

export function slaNumbers(s: SlaState): SlaNumbers {
  return {
    firstDue: ms(s.firstResponseDueAt),
    firstAt: ms(s.firstResponseAt),
    firstMinutes: s.firstResponseMinutes ?? NaN,
    resolutionDue: ms(s.resolutionDueAt),
    resolvedAt: ms(s.resolvedAt),
    resolutionMinutes: s.resolutionMinutes ?? NaN,
    nextDue: ms(s.nextResponseDueAt),
    waiting: s.waitingSince !== undefined && s.waitingSince !== null,
    nextBreaches: s.nextResponseBreaches,
  };
}

// The breach rules, on numbers (NaN compares false): a running clock past its due time counts.
const firstMissed = (c: SlaNumbers, now: number) => (Number.isNaN(c.firstAt) ? now : c.firstAt) > c.firstDue;
const resolutionMissed = (c: SlaNumbers, now: number) => (Number.isNaN(c.resolvedAt) ? (c.waiting ? NaN : now) : c.resolvedAt) > c.resolutionDue;
const nextMissed = (c: SlaNumbers, now: number) => c.nextBreaches + (now > c.nextDue ? 1 : 0);

/** How many targets a conversation missed as of `now` (missed first response, resolution, next responses). */
export function missedTargets(c: SlaNumbers, now: number): number {
  return (firstMissed(c, now) ? 1 : 0) + (resolutionMissed(c, now) ? 1 : 0) + nextMissed(c, now);
}
