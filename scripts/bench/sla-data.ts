// The SLA benchmarks' conversations: a company's mix, 2.5% of those older than 3 days still open.
import { Types } from 'mongoose';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import type { SlaState } from '../../src/sla/engine';
import { figureFields, runningOf } from '../../src/sla/running';

const DEPTS = DEFAULT_DEPARTMENTS.map((d) => d.key);
const HOUR = 3_600_000;
export const policyOf = (k: string) => DEFAULT_DEPARTMENTS.find((d) => d.key === k)?.sla;

export function conversation(i: number, now: number) {
  const start = new Date(now - (i % (90 * 24)) * HOUR - (i % 60) * 60_000);
  const old = now - start.getTime() > 3 * 24 * HOUR;
  const answered = i % 7 !== 0 && start.getTime() + (i % 97) * 60_000 <= now;
  // a company closes nearly everything within days: 2.5% of the older ones stay open, half of the recent ones
  const resolved = (old ? i % 40 !== 0 : i % 2 === 0) && start.getTime() + (i % 2000) * 60_000 <= now;
  const department = DEPTS[i % DEPTS.length]!;
  const sla: SlaState = {
    department,
    startedAt: start,
    firstResponseDueAt: new Date(start.getTime() + HOUR),
    ...(answered ? { firstResponseAt: new Date(start.getTime() + (i % 97) * 60_000), firstResponseMinutes: i % 97 } : {}),
    resolutionDueAt: new Date(start.getTime() + 24 * HOUR),
    ...(resolved ? { resolvedAt: new Date(start.getTime() + (i % 2000) * 60_000), resolutionMinutes: i % 2000 } : {}),
    waitingMinutes: 0,
    nextResponseBreaches: i % 11 === 0 ? 1 : 0,
  };
  return {
    _id: new Types.ObjectId(),
    channel: i % 4 === 0 ? 'webhook' : 'x',
    account: 'bench',
    threadKey: `t-${i}`,
    kind: 'mention',
    customer: { handle: `@user${i % 5000}` },
    preview: 'a customer wrote something about the thermostat',
    department: DEPTS[i % DEPTS.length],
    routing: { method: 'model', label: DEPTS[i % DEPTS.length], confidence: 0.9 },
    status: resolved ? 'resolved' : 'open',
    assignee: { name: `agent${i % 12}` },
    firstMessageAt: start,
    lastMessageAt: start,
    messageCount: 1,
    createdAt: start,
    updatedAt: new Date(Math.max(start.getTime(), answered ? start.getTime() + (i % 97) * 60_000 : 0, resolved ? start.getTime() + (i % 2000) * 60_000 : 0)),
    sla: { ...sla, running: runningOf(sla, policyOf(department), 0.8), warnShare: 0.8, fig: figureFields(sla) },
  };
}
