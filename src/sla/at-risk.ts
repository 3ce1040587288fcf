import type { PipelineStage } from 'mongoose';
import type { SlaPolicy } from '../domain/sla';
import { ConversationModel } from '../store/models/conversation';
import { DraftModel } from '../store/models/draft';
import { MessageModel } from '../store/models/message';
import type { SlaTarget } from './engine';
import { OPEN_FILTER } from './pipeline';
import { elapsedShare } from './running';

/** One running target of one conversation, as the lists and the alerts show it. */
export interface AtRisk {
  id: string;
  department: string;
  status: string;
  customer: { name?: string | null; handle?: string | null };
  preview: string;
  target: SlaTarget;
  dueAt: Date;
  /** business time used of the target: 0.8 = 80 %, 1 or more = breached */
  elapsedShare: number;
  /** the customer's first post, where the channel gives one */
  url?: string;
  /** a reply is written and waits for an approver (the clock runs until it is sent) */
  awaitingApproval?: boolean;
}

export interface WatchList {
  /** conversations in the list, however many `items` holds */
  total: number;
  items: AtRisk[];
}

type Row = {
  _id: unknown;
  department: string;
  status: string;
  customer?: AtRisk['customer'] | null;
  preview?: string;
  row: { target: SlaTarget; from: Date; dueAt: Date };
  first?: Array<{ url?: string | null }>;
  drafts?: Array<{ state?: string; policy?: string }>;
};

/**
 * `select` picks the conversations (indexed on `sla.running`), `pick` the target a row shows: the one due
 * soonest among those that put it on the list. Sorted by that due time, counted, cut to `limit`.
 */
function listPipeline(select: Record<string, unknown>, pick: unknown, limit: number): PipelineStage[] {
  const row = { $arrayElemAt: [{ $sortArray: { input: { $filter: { input: '$sla.running', cond: pick } }, sortBy: { dueAt: 1 } } }, 0] };
  return [
    { $match: { ...OPEN_FILTER, ...select } },
    { $project: { department: 1, status: 1, customer: 1, preview: 1, firstMessageId: 1, row } },
    { $sort: { 'row.dueAt': 1, _id: 1 } },
    {
      $facet: {
        total: [{ $count: 'n' }],
        items: [
          { $limit: limit },
          { $lookup: { from: MessageModel.collection.name, localField: 'firstMessageId', foreignField: '_id', as: 'first' } },
          { $lookup: { from: DraftModel.collection.name, localField: '_id', foreignField: 'conversationId', as: 'drafts' } },
          { $project: { 'drafts.text': 0, 'drafts.author': 0, 'drafts.slack': 0, 'drafts.decision': 0 } },
        ],
      },
    },
  ];
}

async function list(select: Record<string, unknown>, pick: unknown, limit: number, now: Date, policyOf: (d: string) => SlaPolicy | undefined): Promise<WatchList> {
  const [result] = await ConversationModel.aggregate<{ total: Array<{ n: number }>; items: Row[] }>(listPipeline(select, pick, limit));
  return {
    total: result?.total[0]?.n ?? 0,
    items: (result?.items ?? []).map((r) => ({
      id: String(r._id),
      department: r.department,
      status: r.status,
      customer: { name: r.customer?.name, handle: r.customer?.handle },
      preview: r.preview ?? '',
      target: r.row.target,
      dueAt: r.row.dueAt,
      elapsedShare: elapsedShare(r.row, now, policyOf(r.department)),
      ...(r.first?.[0]?.url ? { url: r.first[0].url } : {}),
      ...(r.drafts?.some((d) => d.state === 'pending' && d.policy === 'approval') ? { awaitingApproval: true } : {}),
    })),
  };
}

/**
 * What a manager can still save and what is already lost, one row per open conversation:
 * `atRisk` has a running target past its warning share and none past due (its nearest such target),
 * `breached` a running target past due (its longest overdue one); each soonest due first, with its total.
 */
export async function slaWatch(now: Date, limit: number, policyOf: (d: string) => SlaPolicy | undefined): Promise<{ atRisk: WatchList; breached: WatchList }> {
  const [atRisk, breached] = await Promise.all([
    list(
      { 'sla.running': { $elemMatch: { warnAt: { $lte: now }, dueAt: { $gt: now } } }, 'sla.running.dueAt': { $not: { $lte: now } } },
      { $and: [{ $lte: ['$$this.warnAt', now] }, { $gt: ['$$this.dueAt', now] }] },
      limit,
      now,
      policyOf,
    ),
    list({ 'sla.running.dueAt': { $lte: now } }, { $lte: ['$$this.dueAt', now] }, limit, now, policyOf),
  ]);
  return { atRisk, breached };
}
