import type { Types } from 'mongoose';
import { recordAction, type Who } from '../audit/record';
import { ActivityModel } from '../store/models/activity';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { PendingSlackReplyModel } from '../store/models/pending-slack-reply';
import { RoutingEventModel } from '../store/models/routing-event';
import { SlaAlertModel } from '../store/models/sla-alert';
import { SlackThreadModel } from '../store/models/slack-thread';
import { listDepartments } from '../store/repositories/departments';
import { markRollupDaysStale } from '../store/repositories/sla-rollups';

const DAY_MS = 86_400_000;

export interface RetentionGroup {
  /** a department key, or null: every conversation in a department without its own setting (triage, removed ones) */
  department: string | null;
  days: number;
  /** resolved before this moment */
  cutoff: Date;
  conversations: number;
  ids: string[];
}

export interface RetentionPlan {
  at: Date;
  groups: RetentionGroup[];
  total: number;
}

/**
 * The resolved conversations past their department's retentionDays (else `defaultDays`, RETENTION_DAYS; neither:
 * kept), found by one query per department with its cutoff. The stored departments are the file's (synced at start).
 */
export async function planRetention(defaultDays: number | undefined, now = new Date()): Promise<RetentionPlan> {
  const departments = await listDepartments();
  const groups: RetentionGroup[] = [];
  const find = async (department: string | null, days: number, where: Record<string, unknown>) => {
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    const rows = await ConversationModel.find({ ...where, status: 'resolved', resolvedAt: { $lt: cutoff } }, { _id: 1 }).sort({ _id: 1 }).lean();
    groups.push({ department, days, cutoff, conversations: rows.length, ids: rows.map((r) => String(r._id)) });
  };
  for (const d of departments) {
    const days = d.retentionDays ?? defaultDays;
    if (days !== undefined) await find(d.key, days, { department: d.key });
  }
  if (defaultDays !== undefined) await find(null, defaultDays, { department: { $nin: departments.map((d) => d.key) } });
  return { at: now, groups, total: groups.reduce((n, g) => n + g.conversations, 0) };
}

export interface RetentionResult extends RetentionPlan {
  deleted: { conversations: number; messages: number; activities: number; routingEvents: number; slackThreads: number; slaAlerts: number; pendingSlackReplies: number };
}

/**
 * Plans once, then deletes exactly the planned conversations (still resolved) by id: their records first, the
 * conversation last, so a run cut short is finished by the next one. A customer's message during the run reopens its
 * conversation: that message stays (only records older than the run go) and so does the conversation, with its Slack
 * thread. Records one audit entry with the counts.
 */
export async function runRetention(defaultDays: number | undefined, actor: Who = 'system:retention', now = new Date()): Promise<RetentionResult> {
  const plan = await planRetention(defaultDays, now);
  const planned = plan.groups.flatMap((g) => g.ids);
  const startedAt = new Date();
  // a follow-up may have reopened one since the plan: it stays
  const still = planned.length > 0 ? await ConversationModel.find({ _id: { $in: planned }, status: 'resolved' }, { _id: 1, firstMessageAt: 1, slack: 1, messageCount: 1 }).lean() : [];
  const ids: Types.ObjectId[] = still.map((c) => c._id);
  const deleted = { conversations: 0, messages: 0, activities: 0, routingEvents: 0, slackThreads: 0, slaAlerts: 0, pendingSlackReplies: 0 };
  if (ids.length > 0) {
    const olderRecords = { conversationId: { $in: ids }, createdAt: { $lt: startedAt } };
    deleted.messages = (await MessageModel.deleteMany(olderRecords)).deletedCount;
    deleted.activities = (await ActivityModel.deleteMany(olderRecords)).deletedCount;
    deleted.routingEvents = (await RoutingEventModel.deleteMany(olderRecords)).deletedCount;
    deleted.slaAlerts = (await SlaAlertModel.deleteMany(olderRecords)).deletedCount;
    // nothing joined it since it was read: still resolved, the same count
    const gone = still.map((c) => ({ deleteOne: { filter: { _id: c._id, status: 'resolved' as const, messageCount: c.messageCount ?? null } } }));
    deleted.conversations = (await ConversationModel.bulkWrite(gone, { ordered: false })).deletedCount;
    const kept = new Set((await ConversationModel.find({ _id: { $in: ids } }, { _id: 1 }).lean()).map((c) => String(c._id)));
    const removed = still.filter((c) => !kept.has(String(c._id)));
    // a kept conversation's card thread still leads to it
    const threads = removed.flatMap((c) => (c.slack?.channel && c.slack.ts ? [{ channel: c.slack.channel, threadTs: c.slack.ts }] : []));
    deleted.slackThreads = (await SlackThreadModel.deleteMany({ conversationId: { $in: removed.map((c) => c._id) } })).deletedCount;
    if (threads.length > 0) deleted.pendingSlackReplies = (await PendingSlackReplyModel.deleteMany({ $or: threads })).deletedCount;
    await markRollupDaysStale(still.map((c) => c.firstMessageAt));
  }
  const perDepartment = Object.fromEntries(plan.groups.map((g) => [g.department ?? '(default)', g.conversations]));
  if (planned.length > 0) await recordAction({ actor, action: 'retention.ran', target: { kind: 'retention', id: now.toISOString() }, details: { planned: planned.length, perDepartment, ...deleted } });
  return { ...plan, deleted };
}

/** The plan as the CLI and the API show it. */
export function presentPlan(plan: RetentionPlan) {
  return { at: plan.at, total: plan.total, departments: plan.groups.map((g) => ({ department: g.department, days: g.days, cutoff: g.cutoff, conversations: g.conversations, ids: g.ids })) };
}
