/** One poll of an X account: new mentions since the stored since_id, new DMs back to the stored event. */
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
  /** the cursor value to store once these messages are stored */
  position?: string;
  /** items X returned (and bills), including ones we drop */
  read: number;
}

// Without a stored position only the newest page is read: a new account should not buy its whole history.
const pagesFor = (plan: PullPlan, position?: string): number => (position ? plan.maxPages : 1);

export async function pullMentions(plan: PullPlan, sinceId?: string): Promise<PartResult> {
  const messages: InboundMessage[] = [];
  let read = 0;
  let newest: string | undefined;
  let token: string | undefined;
  for (let n = 0; n < pagesFor(plan, sinceId); n += 1) {
    const page = await plan.api.mentionsPage(plan.userId, { sinceId, token, maxResults: plan.pageSize });
    // the first page holds the newest posts: its newest_id is the next since_id
    if (n === 0) newest = page.newestId;
    read += page.items.length;
    messages.push(...page.items.map((post) => mentionToMessage(post, page.users, plan)));
    token = page.nextToken;
    if (!token) break;
  }
  return { messages, position: newest ?? sinceId, read };
}

export async function pullDms(plan: PullPlan, lastEventId?: string): Promise<PartResult> {
  const messages: InboundMessage[] = [];
  let read = 0;
  let newest = lastEventId;
  let token: string | undefined;
  let reachedStored = false;
  for (let n = 0; n < pagesFor(plan, lastEventId) && !reachedStored; n += 1) {
    // X has no since_id for DM events: page back, newest first, until the event stored last time
    const page = await plan.api.dmEventsPage({ token, maxResults: plan.pageSize });
    read += page.items.length;
    for (const event of page.items) {
      if (lastEventId && compareIds(event.id, lastEventId) <= 0) {
        reachedStored = true;
        break;
      }
      if (!newest || compareIds(event.id, newest) > 0) newest = event.id;
      // our own replies come back as events too; the pipeline already has them as outbound
      if (event.eventType !== 'MessageCreate' || event.senderId === plan.userId) continue;
      messages.push(dmToMessage(event, page.users, plan));
    }
    token = page.nextToken;
    if (!token) break;
  }
  return { messages, position: newest, read };
}
