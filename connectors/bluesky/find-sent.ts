/**
 * Before a reply whose earlier attempt has an unknown outcome is sent again: did Bluesky already take it?
 * Looks through the account's own posts (getAuthorFeed) or the convo's messages back to `since` for one with
 * the same target and text.
 */
import { AppError } from '../../src/domain/errors';
import type { SendResult } from '../../src/domain/message';
import { convoUrl, postUrl, timeOf } from './map';
import type { BskyApi } from './types';

export interface FindPlan {
  api: BskyApi;
  pageSize: number;
  maxPages: number;
}

const comparable = (text: string): string => text.normalize('NFC').replace(/\r\n?/g, '\n').trim();

function incomplete(plan: FindPlan, what: string, since: Date): AppError {
  // not transient: sending again now could post twice, so the delivery must not retry blindly
  return new AppError('connector_search_incomplete', `Bluesky: read ${plan.maxPages} pages of ${what} without reaching ${since.toISOString()}; cannot tell whether the reply was sent`, {
    maxPages: plan.maxPages,
    since: since.toISOString(),
  });
}

/** Our post answering `parentUri` (undefined: a post that answers nothing) with this text, at or after `since`. */
export async function findPost(plan: FindPlan, parentUri: string | undefined, text: string, since: Date): Promise<SendResult | null> {
  const me = await plan.api.did();
  const want = comparable(text);
  let cursor: string | undefined;
  for (let n = 0; n < plan.maxPages; n += 1) {
    const page = await plan.api.ownPostsPage({ cursor, limit: plan.pageSize });
    for (const post of page.items) {
      if (timeOf(post.createdAt, post.indexedAt) < since) return null;
      if (post.authorDid === me && post.parent?.uri === parentUri && comparable(post.text) === want) {
        const url = postUrl(post.uri);
        return { externalId: post.uri, ...(url ? { url } : {}) };
      }
    }
    cursor = page.cursor;
    if (!cursor || page.items.length === 0) return null;
  }
  throw incomplete(plan, 'own posts', since);
}

export async function findMessage(plan: FindPlan, convoId: string, text: string, since: Date): Promise<SendResult | null> {
  const me = await plan.api.did();
  const want = comparable(text);
  let cursor: string | undefined;
  for (let n = 0; n < plan.maxPages; n += 1) {
    const page = await plan.api.messagesPage(convoId, { cursor, limit: plan.pageSize });
    for (const m of page.items) {
      if (new Date(m.sentAt) < since) return null;
      if (m.senderDid === me && comparable(m.text) === want) return { externalId: m.id, url: convoUrl(convoId) };
    }
    cursor = page.cursor;
    if (!cursor || page.items.length === 0) return null;
  }
  throw incomplete(plan, `messages of convo ${convoId}`, since);
}
