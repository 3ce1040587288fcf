/** One poll of the mention notifications: the ones after the stored id, each status threaded to its conversation's root. */
import { ValidationError } from '../../src/domain/errors';
import type { InboundMessage } from '../../src/domain/message';
import { newer, statusToMessage, validId } from './map';
import type { RootCache } from './roots';
import type { MastodonApi, MastodonStatus } from './types';

export interface PullPlan {
  api: MastodonApi;
  accountId: string;
  pageSize: number;
  maxPages: number;
  roots: RootCache;
}

export interface PartResult {
  messages: InboundMessage[];
  /** the newest notification id read: the next poll's min_id, stored once these messages are */
  position?: string;
}

/** The conversation a status belongs to: its root status, from what we saw or sent, else from the instance. */
async function threadKeyOf(plan: PullPlan, status: MastodonStatus): Promise<string> {
  if (!status.inReplyToId) return status.id;
  const known = plan.roots.get(status.inReplyToId);
  if (known) return known;
  try {
    return await plan.api.rootOf(status.id);
  } catch (err) {
    // deleted since the notification: nothing better than the status it answers
    if (err instanceof ValidationError && (err.details as { status?: number } | undefined)?.status === 404) return status.inReplyToId;
    throw err;
  }
}

// Without a stored position only the newest page is read: a new account does not turn its history into cards.
export async function pullMentions(plan: PullPlan, stored?: string): Promise<PartResult> {
  const minId = validId(stored);
  const result: PartResult = { messages: [], position: minId };
  let n = 0;
  for await (const page of plan.api.mentionPages({ minId, limit: plan.pageSize })) {
    // oldest first, so a reply to a status of the same page finds its root in the cache
    for (const notification of [...page].reverse()) {
      result.position = newer(result.position, validId(notification.id));
      const status = notification.status;
      if (notification.type !== 'mention' || !status) continue;
      const threadKey = await threadKeyOf(plan, status);
      plan.roots.set(status.id, threadKey);
      result.messages.push(statusToMessage(status, threadKey, plan.accountId));
    }
    n += 1;
    if (!minId || n >= plan.maxPages || page.length === 0) break;
  }
  return result;
}
