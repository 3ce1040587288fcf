/** One poll of an X timeline: new mentions since the stored since_id, new DMs back to the stored event. */
import type { InboundMessage } from '../../src/domain/message';
import { compareIds, dmToMessage, mentionToMessage } from './map';
import type { Account } from './map';
import type { XApi } from './types';

export interface PullPlan extends Account {
  api: XApi;
  pageSize: number;
  maxPages: number;
}

export interface PartResult {
  messages: InboundMessage[];
  /** the cursor value to store once these messages are stored; undefined when there is none yet */
  position?: string;
  /** ids of every item X returned (and bills), including ones we drop */
  ids: string[];
  /** problems X reported beside the data (errors[] of a 200) */
  problems: string[];
}

/** X's id pattern (since_id must match it): anything else in a stored cursor is treated as absent. */
export const validId = (value: unknown): string | undefined => (typeof value === 'string' && /^[0-9]{1,19}$/.test(value) ? value : undefined);

const newer = (a: string | undefined, b: string | undefined): string | undefined => (!a ? b : !b ? a : compareIds(a, b) >= 0 ? a : b);

// Without a stored position only the newest page is read: a new account should not buy its whole history.
const pagesFor = (plan: PullPlan, position?: string): number => (position ? plan.maxPages : 1);

export async function pullMentions(plan: PullPlan, storedSinceId?: string): Promise<PartResult> {
  const sinceId = validId(storedSinceId);
  const result: PartResult = { messages: [], ids: [], problems: [] };
  let newest: string | undefined;
  let token: string | undefined;
  for (let n = 0; n < pagesFor(plan, sinceId); n += 1) {
    const page = await plan.api.mentionsPage(plan.userId, { sinceId, token, maxResults: plan.pageSize });
    // meta.newest_id of the first page is the next since_id; without it, the highest id read
    newest = newer(newer(newest, n === 0 ? validId(page.newestId) : undefined), page.items.map((p) => p.id).reduce(newer, undefined));
    result.ids.push(...page.items.map((post) => post.id));
    result.problems.push(...(page.problems ?? []));
    result.messages.push(...page.items.map((post) => mentionToMessage(post, page.users, plan)));
    token = page.nextToken;
    if (!token) break;
  }
  // oldest first: X's created_at has whole seconds, and among equal times the batch's order decides which message opens
  return { ...result, messages: result.messages.reverse(), position: newer(newest, sinceId) };
}

export async function pullDms(plan: PullPlan, storedEventId?: string): Promise<PartResult> {
  const lastEventId = validId(storedEventId);
  const result: PartResult = { messages: [], ids: [], problems: [] };
  let newest = lastEventId;
  let token: string | undefined;
  let reachedStored = false;
  for (let n = 0; n < pagesFor(plan, lastEventId) && !reachedStored; n += 1) {
    // X has no since_id for DM events: page back, newest first, until the event stored last time
    const page = await plan.api.dmEventsPage({ token, maxResults: plan.pageSize });
    result.ids.push(...page.items.map((event) => event.id));
    result.problems.push(...(page.problems ?? []));
    for (const event of page.items) {
      if (lastEventId && compareIds(event.id, lastEventId) <= 0) {
        reachedStored = true;
        break;
      }
      newest = newer(newest, validId(event.id));
      // our own replies come back as events too; the pipeline already has them as outbound
      if (event.eventType !== 'MessageCreate' || event.senderId === plan.userId) continue;
      result.messages.push(dmToMessage(event, page.users, plan));
    }
    token = page.nextToken;
    if (!token) break;
  }
  return { ...result, messages: result.messages.reverse(), position: newest };
}
