/** Mastodon statuses as the pipeline's InboundMessage: the only place that knows both shapes. */
import type { Author, InboundMessage } from '../../src/domain/message';
import { htmlToText } from './html';
import type { MastodonAccount, MastodonStatus } from './types';

/** Orders Mastodon ids (numeric strings, newer is larger) without parsing them. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

export const newer = (a: string | undefined, b: string | undefined): string | undefined => (!a ? b : !b ? a : compareIds(a, b) >= 0 ? a : b);

/** Mastodon's id pattern: anything else in a stored cursor is treated as absent. */
export const validId = (value: unknown): string | undefined => (typeof value === 'string' && /^[0-9]{1,30}$/.test(value) ? value : undefined);

function authorOf(account: MastodonAccount): Author {
  return {
    id: account.id,
    handle: `@${account.acct}`,
    name: account.displayName ?? account.username,
    ...(account.url ? { profileUrl: account.url } : {}),
  };
}

/** The status's text: its content warning first, as the reader sees it before opening it. */
export function textOf(status: MastodonStatus): string {
  const body = htmlToText(status.content);
  return status.spoilerText ? `${status.spoilerText}\n\n${body}` : body;
}

export function statusToMessage(status: MastodonStatus, threadKey: string, accountId: string): InboundMessage {
  return {
    channel: 'mastodon',
    account: accountId,
    externalId: status.id,
    threadKey,
    // Mastodon has no separate DM object: a status only the mentioned accounts can see is one
    kind: status.visibility === 'direct' ? 'dm' : 'mention',
    author: authorOf(status.account),
    text: textOf(status),
    createdAt: new Date(status.createdAt),
    url: status.url ?? status.uri,
    ...(status.inReplyToId ? { inReplyToExternalId: status.inReplyToId } : {}),
  };
}
