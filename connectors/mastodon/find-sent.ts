/**
 * Before a reply whose earlier attempt has an unknown outcome is sent again (and the Idempotency-Key may have
 * expired: Mastodon keeps it an hour): did the instance already get it? Looks through the account's own statuses.
 */
import { AppError } from '../../src/domain/errors';
import type { OutboundReply, SendResult } from '../../src/domain/message';
import { htmlToText } from './html';
import type { MastodonApi } from './types';

export interface FindPlan {
  api: MastodonApi;
  ownId(): Promise<string>;
  pageSize: number;
  maxPages: number;
}

/** Compared without the handles in front and with remote mentions as the instance renders them (@user). */
export function comparableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/(^|[^\w@])(@[\w.-]+)@[\w-]+(?:\.[\w-]+)+/g, '$1$2')
    .replace(/^(?:@[\w.-]+\s+)+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export async function findSent(plan: FindPlan, reply: OutboundReply, since: Date): Promise<SendResult | null> {
  const want = comparableText(reply.text);
  const target = reply.kind === 'post' ? undefined : reply.inReplyToExternalId;
  let n = 0;
  for await (const page of plan.api.ownStatusPages(await plan.ownId(), plan.pageSize)) {
    for (const status of page) {
      if (new Date(status.createdAt) < since) return null;
      if (status.inReplyToId === target && comparableText(htmlToText(status.content)) === want) return { externalId: status.id, url: status.url ?? status.uri };
    }
    n += 1;
    if (page.length === 0) return null;
    if (n >= plan.maxPages) {
      // re-sending now could post twice: the caller must not retry blindly
      throw new AppError('connector_search_incomplete', `Mastodon: read ${n} pages of own statuses without reaching ${since.toISOString()}; cannot tell whether the reply was sent`, {
        maxPages: plan.maxPages,
        since: since.toISOString(),
      });
    }
  }
  return null;
}
