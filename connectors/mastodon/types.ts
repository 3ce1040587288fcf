/** What the Mastodon client hands the connector: plain data, no masto types past this seam. */
export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

export interface MastodonAccount {
  id: string;
  /** `user` for an account of our instance, `user@domain` for a remote one */
  acct: string;
  username: string;
  displayName?: string;
  url?: string;
}

export interface MastodonStatus {
  id: string;
  createdAt: string;
  /** HTML, as the instance renders it */
  content: string;
  /** the content warning, empty when there is none */
  spoilerText?: string;
  visibility: Visibility;
  inReplyToId?: string;
  url?: string;
  uri: string;
  account: MastodonAccount;
}

export interface MastodonNotification {
  id: string;
  type: string;
  /** absent when the status was deleted since */
  status?: MastodonStatus;
}

export interface NewStatus {
  text: string;
  visibility: Visibility;
  inReplyToId?: string;
}

/** The few Mastodon REST calls Switchboard makes; each throws our Connector*Error classes. */
export interface MastodonApi {
  /** the account the token belongs to (GET /api/v1/accounts/verify_credentials) */
  me(): Promise<MastodonAccount>;
  /** mention notifications: with `minId` the ones right after it, paging towards the newest; without, the newest page only */
  mentionPages(page: { minId?: string; limit: number }): AsyncIterableIterator<MastodonNotification[]>;
  status(id: string): Promise<MastodonStatus>;
  /** the id of the oldest ancestor the instance knows (the status itself when it answers nothing) */
  rootOf(id: string): Promise<string>;
  /** configuration.statuses.max_characters of GET /api/v2/instance; undefined when the instance does not say */
  maxCharacters(): Promise<number | undefined>;
  /** POST /api/v1/statuses with an Idempotency-Key: the same key within an hour returns the same status */
  post(status: NewStatus, idempotencyKey: string): Promise<MastodonStatus>;
  /** the account's own statuses, newest first, page by page */
  ownStatusPages(accountId: string, limit: number): AsyncIterableIterator<MastodonStatus[]>;
}
