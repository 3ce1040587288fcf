/** What the fake Mastodon instance holds: accounts, statuses rendered to HTML as Mastodon does, mention notifications. */
export interface FakeAccount {
  id: string;
  username: string;
  /** `user` on this instance, `user@domain` elsewhere */
  acct: string;
  display_name: string;
  url: string;
}

export type FakeVisibility = 'public' | 'unlisted' | 'private' | 'direct';

export interface FakeStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  visibility: FakeVisibility;
  spoiler_text: string;
  content: string;
  /** the plain text it was written as (not on the wire: Mastodon sends `text` only for a deleted status) */
  source: string;
  uri: string;
  /** null for some remote statuses; left out of the wire entirely when the fake is asked for minimal shapes */
  url: string | null;
  account: FakeAccount;
}

export interface FakeNotification {
  id: string;
  type: string;
  created_at: string;
  account: FakeAccount;
  /** gone when the status was deleted */
  status?: FakeStatus;
}

export interface StatusInput {
  from: FakeAccount;
  text?: string;
  visibility?: FakeVisibility;
  inReplyTo?: string;
  spoiler?: string;
  createdAt?: Date;
  /** a notification for us (default true unless the author is us) */
  notify?: boolean;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Mastodon's rendering of a plain-text status: paragraphs, <br />, mention h-cards and links with invisible parts. */
export function renderHtml(text: string, origin: string): string {
  const inline = (line: string): string =>
    escapeHtml(line)
      .replace(/https?:\/\/[^\s<]+/g, (url) => {
        const [, scheme = '', rest = ''] = /^(https?:\/\/(?:www\.)?)(.*)$/.exec(url) ?? [];
        const shown = rest.slice(0, 30);
        return `<a href="${url}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${scheme}</span><span class="${rest.length > 30 ? 'ellipsis' : ''}">${shown}</span><span class="invisible">${rest.slice(30)}</span></a>`;
      })
      .replace(/(^|[^\w/])@([\w]+)(?:@([\w.-]+\w))?/g, (_, lead: string, user: string, domain?: string) => {
        const href = domain ? `https://${domain}/@${user}` : `${origin}/@${user}`;
        return `${lead}<span class="h-card" translate="no"><a href="${href}" class="u-url mention">@<span>${user}</span></a></span>`;
      });
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(inline).join('<br />')}</p>`)
    .join('');
}

export class FakeMastodonState {
  readonly accounts = new Map<string, FakeAccount>();
  readonly statuses = new Map<string, FakeStatus>();
  readonly notifications: FakeNotification[] = [];
  readonly me: FakeAccount;
  private nextStatus = 113_000_000_000_000_000n;
  private nextNotification = 9_000;
  private nextAccount = 100;

  constructor(readonly origin: string, myUsername: string) {
    this.me = this.addAccount(myUsername, 'Kestrel Home');
  }

  addAccount(username: string, displayName = '', domain?: string): FakeAccount {
    const id = String((this.nextAccount += 1));
    const account = { id, username, acct: domain ? `${username}@${domain}` : username, display_name: displayName, url: domain ? `https://${domain}/@${username}` : `${this.origin}/@${username}` };
    this.accounts.set(id, account);
    return account;
  }

  addStatus(input: StatusInput): FakeStatus {
    this.nextStatus += 1_000n + BigInt(Math.floor(Math.random() * 1000));
    const id = String(this.nextStatus);
    const text = input.text ?? `@${this.me.username} hello #${id.slice(-4)}`;
    const status: FakeStatus = {
      id,
      created_at: (input.createdAt ?? new Date()).toISOString(),
      in_reply_to_id: input.inReplyTo ?? null,
      visibility: input.visibility ?? 'public',
      spoiler_text: input.spoiler ?? '',
      content: renderHtml(text, this.origin),
      source: text,
      uri: `${this.origin}/users/${input.from.username}/statuses/${id}`,
      url: `${this.origin}/@${input.from.acct}/${id}`,
      account: input.from,
    };
    this.statuses.set(id, status);
    if (input.notify ?? input.from.id !== this.me.id) {
      this.notifications.push({ id: String((this.nextNotification += 1)), type: 'mention', created_at: status.created_at, account: input.from, status });
    }
    return status;
  }

  /** A notification of another type (a favourite of one of our statuses): the connector must skip it. */
  addOther(type: string, from: FakeAccount): void {
    this.notifications.push({ id: String((this.nextNotification += 1)), type, created_at: new Date().toISOString(), account: from });
  }

  /** the chain of statuses `id` answers, oldest first, as far as this instance knows them */
  ancestors(id: string): FakeStatus[] {
    const chain: FakeStatus[] = [];
    let parent = this.statuses.get(id)?.in_reply_to_id;
    while (parent) {
      const status = this.statuses.get(parent);
      if (!status) break;
      chain.unshift(status);
      parent = status.in_reply_to_id;
    }
    return chain;
  }

  ownStatuses(): FakeStatus[] {
    return [...this.statuses.values()].filter((s) => s.account.id === this.me.id);
  }
}
