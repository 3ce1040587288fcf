/** The Mastodon channel: mentions and direct statuses in through pullTimeline(), replies out through send(). */
import { ValidationError } from '../../src/domain/errors';
import type { Connector, Cursor, OutboundReply, PullResult, SendResult } from '../../src/domain/message';
import { createMastodonClient } from './client';
import { findSent } from './find-sent';
import { pullMentions } from './pull';
import { RootCache } from './roots';
import { DEFAULT_MAX_CHARACTERS, addressed, mastodonLength } from './text';
import type { MastodonAccount, MastodonApi, NewStatus } from './types';

export type { MastodonApi } from './types';
export { htmlToText } from './html';
export { mastodonLength, DEFAULT_MAX_CHARACTERS } from './text';

export interface MastodonConnectorOptions {
  /** our ChannelAccount id, written to InboundMessage.account */
  accountId: string;
  /** the instance's base URL, e.g. https://mastodon.social */
  url: string;
  accessToken: string;
  /** notifications per request, 1..80 (default 40, Mastodon's own default) */
  pageSize?: number;
  /** pages per poll (default 10) */
  maxPages?: number;
  timeoutMs?: number;
}

export const MASTODON_TIMELINES = ['mentions'] as const;

export interface MastodonConnector extends Connector {
  readonly kind: 'mastodon';
  readonly timelines: readonly string[];
  pull(cursor: Cursor | null): Promise<PullResult>;
  pullTimeline(name: string, cursor: Cursor): Promise<PullResult>;
  /** who the token belongs to */
  verify(): Promise<MastodonAccount>;
  findSent(reply: OutboundReply, since: Date): Promise<SendResult | null>;
}

function intOption(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new ValidationError(`Mastodon connector: ${name} must be an integer from ${min} to ${max}`, { [name]: value });
  return n;
}

/** `api` is for tests that stand in for Mastodon without HTTP; by default the real client is built. */
export function createMastodonConnector(options: MastodonConnectorOptions, api: MastodonApi = createMastodonClient(options)): MastodonConnector {
  const roots = new RootCache();
  const plan = {
    api,
    accountId: options.accountId,
    pageSize: intOption('pageSize', options.pageSize, 40, 1, 80),
    maxPages: intOption('maxPages', options.maxPages, 10, 1, 1000),
    roots,
  };
  // each asked once per process: neither changes while it runs (an instance's limit at most after a restart)
  let me: Promise<MastodonAccount> | undefined;
  const ownId = async (): Promise<string> => {
    me ??= api.me().catch((err: unknown) => {
      me = undefined;
      throw err;
    });
    return (await me).id;
  };
  let maxCharacters: number | undefined;

  /** The instance's limit; when it cannot be asked, Mastodon's default still lets a short reply through. */
  async function refuseTooLong(text: string): Promise<void> {
    const length = mastodonLength(text);
    if (maxCharacters === undefined) {
      try {
        maxCharacters = (await api.maxCharacters()) ?? DEFAULT_MAX_CHARACTERS;
      } catch (err) {
        if (length > DEFAULT_MAX_CHARACTERS) throw err;
        return;
      }
    }
    if (length > maxCharacters) {
      throw new ValidationError(`Reply is ${length} characters; this Mastodon instance allows at most ${maxCharacters} (each link counts as 23)`, { limit: maxCharacters, length });
    }
  }

  async function statusFor(reply: OutboundReply): Promise<NewStatus> {
    if (reply.text.trim().length === 0) throw new ValidationError('Reply is empty');
    // kind 'post': a new public status that answers nothing
    if (reply.kind === 'post') return { text: reply.text, visibility: 'public' };
    if (!reply.inReplyToExternalId) throw new ValidationError('A Mastodon reply needs inReplyToExternalId (the status it answers)');
    const target = await api.status(reply.inReplyToExternalId);
    // the customer chose who sees the conversation: never wider than their status, and direct for a DM
    const visibility = reply.kind === 'dm' ? 'direct' : target.visibility;
    return { text: addressed(reply.text, target.account.acct), visibility, inReplyToId: target.id };
  }

  const pullTimeline = async (name: string, cursor: Cursor): Promise<PullResult> => {
    if (name !== 'mentions') throw new ValidationError(`Mastodon connector: no timeline "${name}" (there is mentions)`);
    const part = await pullMentions(plan, cursor.mentionsMinId);
    return { messages: part.messages, cursor: part.position ? { mentionsMinId: part.position } : {} };
  };

  return {
    kind: 'mastodon',
    timelines: MASTODON_TIMELINES,
    verify: () => api.me(),
    pullTimeline,
    pull: (cursor) => pullTimeline('mentions', { ...cursor }),

    findSent: (reply, since) => findSent({ api, ownId, pageSize: plan.pageSize, maxPages: plan.maxPages }, reply, since),

    // the Idempotency-Key makes a retry of a send whose answer was lost return the status already posted
    async send(reply) {
      const status = await statusFor(reply);
      await refuseTooLong(status.text);
      const posted = await api.post(status, reply.idempotencyKey);
      roots.set(posted.id, reply.threadKey);
      return { externalId: posted.id, url: posted.url ?? posted.uri };
    },
  };
}
