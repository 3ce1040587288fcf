/**
 * A local stand-in for a Mastodon instance's REST API (docs.joinmastodon.org: methods/notifications, methods/statuses,
 * methods/accounts, methods/instance, api/rate-limits, entities/Status) that the real masto client reaches over HTTP on
 * 127.0.0.1: mention notifications with Link-header paging, statuses and their context, posting with Idempotency-Key,
 * the account's own statuses, the instance's limits, errors as {error, error_description}, and failure controls.
 */
import type http from 'node:http';
import { LoopbackFake } from './loopback-server';
import { FakeMastodonState } from './mastodon-api-state';
import type { FakeAccount, FakeStatus, FakeVisibility } from './mastodon-api-state';

export type { FakeAccount, FakeStatus, FakeVisibility, StatusInput } from './mastodon-api-state';

export type MastodonRoute =
  | 'GET /api/v1/accounts/verify_credentials'
  | 'GET /api/v1/notifications'
  | 'GET /api/v1/statuses/:id'
  | 'GET /api/v1/statuses/:id/context'
  | 'POST /api/v1/statuses'
  | 'GET /api/v1/accounts/:id/statuses'
  | 'GET /api/v2/instance';

const ROUTES: [MastodonRoute, RegExp][] = [
  ['GET /api/v1/accounts/verify_credentials', /^GET \/api\/v1\/accounts\/verify_credentials$/],
  ['GET /api/v1/notifications', /^GET \/api\/v1\/notifications$/],
  ['GET /api/v1/statuses/:id/context', /^GET \/api\/v1\/statuses\/([^/]+)\/context$/],
  ['GET /api/v1/statuses/:id', /^GET \/api\/v1\/statuses\/([^/]+)$/],
  ['POST /api/v1/statuses', /^POST \/api\/v1\/statuses$/],
  ['GET /api/v1/accounts/:id/statuses', /^GET \/api\/v1\/accounts\/([^/]+)\/statuses$/],
  ['GET /api/v2/instance', /^GET \/api\/v2\/instance$/],
];

export interface RecordedRequest {
  method: string;
  route?: MastodonRoute;
  query: URLSearchParams;
  body: Record<string, unknown>;
  idempotencyKey?: string;
  authorized: boolean;
}

export interface FailureRule {
  /** HTTP status to answer, or 'drop': close the connection with no answer */
  status: number | 'drop';
  /** run the endpoint first (a status is posted), then answer `status`: "posted, but the answer was lost" */
  afterAccepting?: boolean;
  /** how many consecutive requests fail (default 1) */
  times?: number;
  /** let this many requests to the route succeed first (a failure of a call that follows a successful one) */
  after?: number;
  /** for 429: X-RateLimit-Reset (default: in five minutes); null leaves the header out */
  resetAt?: Date | null;
  error?: string;
  description?: string;
}

export interface FakeMastodonOptions {
  /** configuration.statuses.max_characters of /api/v2/instance; null leaves `configuration` out */
  maxCharacters?: number | null;
  /** leave out every optional field the entities allow to be absent (url, display_name, spoiler_text, …) */
  minimal?: boolean;
}

const DEFAULT_ERRORS: Record<number, string> = { 401: 'The access token is invalid', 403: 'This action is not allowed', 404: 'Record not found', 422: 'Validation failed', 429: 'Too many requests', 500: 'We\'re sorry, but something went wrong', 503: 'Service Unavailable' };

export class FakeMastodonApi extends LoopbackFake {
  state!: FakeMastodonState;
  readonly token = 'fake-mastodon-token';
  tokenValid = true;
  readonly requests: RecordedRequest[] = [];
  private readonly failures = new Map<MastodonRoute, FailureRule & { seen: number }>();
  private readonly keys = new Map<string, string>();

  constructor(private readonly options: FakeMastodonOptions = {}) {
    super();
  }

  get me(): FakeAccount {
    return this.state.me;
  }

  addAccount(username: string, displayName?: string, domain?: string): FakeAccount {
    return this.state.addAccount(username, displayName, domain);
  }

  /** a customer's status that mentions us (a mention notification) */
  mention(from: FakeAccount, text?: string, extra: { visibility?: FakeVisibility; inReplyTo?: string; spoiler?: string } = {}): FakeStatus {
    return this.state.addStatus({ from, text: text ?? `@${this.me.username} my heater is broken`, ...extra });
  }

  failNext(route: MastodonRoute, rule: FailureRule): void {
    this.failures.set(route, { ...rule, seen: 0 });
  }

  requestsTo(route: MastodonRoute): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** what we posted, oldest first */
  posted(): FakeStatus[] {
    return this.state.ownStatuses();
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const line = `${req.method ?? 'GET'} ${url.pathname}`;
    const match = ROUTES.map(([route, re]) => [route, re.exec(line)] as const).find(([, m]) => m);
    const route = match?.[0];
    let body: Record<string, unknown> = {};
    try {
      body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
    } catch {
      return this.send(res, 400, { error: 'Invalid JSON' });
    }
    const authorized = this.tokenValid && req.headers.authorization === `Bearer ${this.token}`;
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method: req.method ?? 'GET', route, query: url.searchParams, body, idempotencyKey, authorized });
    if (!route) return this.send(res, 404, { error: 'Record not found' });

    const rule = this.failures.get(route);
    const failing = rule && rule.seen++ >= (rule.after ?? 0);
    if (rule && failing && rule.seen - (rule.after ?? 0) >= (rule.times ?? 1)) this.failures.delete(route);
    if (failing && !rule.afterAccepting) return this.fail(req, res, rule);
    if (!authorized) return this.send(res, 401, { error: 'The access token is invalid' });
    const answer = this.answer(route, match[1]?.[1], url.searchParams, body, idempotencyKey);
    if (failing) return this.fail(req, res, rule);
    this.send(res, answer.status, answer.body, answer.link);
  }

  private fail(req: http.IncomingMessage, res: http.ServerResponse, rule: FailureRule): void {
    if (rule.status === 'drop') {
      req.socket.destroy();
      return;
    }
    const reset = rule.status === 429 ? (rule.resetAt === undefined ? new Date(Date.now() + 300_000) : rule.resetAt) : undefined;
    const error = rule.error ?? DEFAULT_ERRORS[rule.status] ?? 'Error';
    this.send(res, rule.status, { error, ...(rule.description ? { error_description: rule.description } : {}) }, undefined, reset === undefined ? undefined : reset);
  }

  private answer(route: MastodonRoute, id: string | undefined, q: URLSearchParams, body: Record<string, unknown>, key?: string): { status: number; body: unknown; link?: string } {
    const s = this.state;
    switch (route) {
      case 'GET /api/v1/accounts/verify_credentials':
        return { status: 200, body: { ...this.account(s.me), source: { privacy: 'public', note: '' } } };
      case 'GET /api/v1/notifications': {
        const types = q.getAll('types[]');
        const all = s.notifications.filter((n) => types.length === 0 || types.includes(n.type));
        const page = this.page(all, q, 40, 80, '/api/v1/notifications');
        return { status: 200, body: page.items.map((n) => ({ id: n.id, type: n.type, created_at: n.created_at, account: this.account(n.account), ...(n.status ? { status: this.status(n.status) } : {}) })), link: page.link };
      }
      case 'GET /api/v1/statuses/:id': {
        const status = id ? s.statuses.get(id) : undefined;
        return status ? { status: 200, body: this.status(status) } : { status: 404, body: { error: 'Record not found' } };
      }
      case 'GET /api/v1/statuses/:id/context':
        return id && s.statuses.has(id) ? { status: 200, body: { ancestors: s.ancestors(id).map((a) => this.status(a)), descendants: [] } } : { status: 404, body: { error: 'Record not found' } };
      case 'POST /api/v1/statuses':
        return this.post(body, key);
      case 'GET /api/v1/accounts/:id/statuses': {
        const own = [...s.statuses.values()].filter((st) => st.account.id === id);
        const page = this.page(own, q, 20, 40, `/api/v1/accounts/${id ?? ''}/statuses`);
        return { status: 200, body: page.items.map((st) => this.status(st)), link: page.link };
      }
      case 'GET /api/v2/instance': {
        const max = this.options.maxCharacters === undefined ? 500 : this.options.maxCharacters;
        return { status: 200, body: { domain: new URL(this.url).host, title: 'Fake Mastodon', version: '4.3.0', ...(max === null ? {} : { configuration: { statuses: { max_characters: max, max_media_attachments: 4, characters_reserved_per_url: 23 } } }) } };
      }
    }
  }

  private post(body: Record<string, unknown>, key?: string): { status: number; body: unknown } {
    const earlier = key ? this.keys.get(key) : undefined;
    const again = earlier ? this.state.statuses.get(earlier) : undefined;
    // Mastodon keeps an Idempotency-Key for an hour: the same request answers the status it already made
    if (again) return { status: 200, body: this.status(again) };
    const text = typeof body.status === 'string' ? body.status : '';
    if (text.trim() === '') return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
    const max = this.options.maxCharacters ?? 500;
    // Mastodon counts a link as 23 and a remote mention as its local part
    if ([...text.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).replace(/(@\w+)@[\w.-]+\w/g, '$1')].length > max) return { status: 422, body: { error: `Validation failed: Text character limit of ${max} exceeded` } };
    const inReplyTo = typeof body.in_reply_to_id === 'string' ? body.in_reply_to_id : undefined;
    if (inReplyTo && !this.state.statuses.has(inReplyTo)) return { status: 404, body: { error: 'Record not found' } };
    const visibility = (body.visibility as FakeVisibility | undefined) ?? 'public';
    const status = this.state.addStatus({ from: this.me, text, visibility, inReplyTo, notify: false });
    if (key) this.keys.set(key, status.id);
    return { status: 200, body: this.status(status) };
  }

  /** max_id / since_id / min_id paging as Mastodon does it, with a Link header only for a page that has items */
  private page<T extends { id: string }>(all: T[], q: URLSearchParams, fallback: number, most: number, path: string): { items: T[]; link?: string } {
    const cmp = (a: string, b: string): number => (a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
    const limit = Math.min(Math.max(Number(q.get('limit') ?? fallback) || fallback, 1), most);
    const [maxId, sinceId, minId] = [q.get('max_id'), q.get('since_id'), q.get('min_id')];
    let items = all.filter((x) => (!maxId || cmp(x.id, maxId) < 0) && (!sinceId || cmp(x.id, sinceId) > 0) && (!minId || cmp(x.id, minId) > 0));
    items.sort((a, b) => cmp(b.id, a.id));
    // min_id: the page right after it (the oldest ones newer than it), still newest first
    items = minId ? items.slice(-limit) : items.slice(0, limit);
    if (items.length === 0) return { items };
    const keep = new URLSearchParams([...q].filter(([k]) => !['max_id', 'since_id', 'min_id'].includes(k)));
    const link = (k: string, v: string) => `<${this.url}${path}?${new URLSearchParams([...keep, [k, v]]).toString()}>`;
    return { items, link: `${link('max_id', items[items.length - 1]?.id ?? '')}; rel="next", ${link('min_id', items[0]?.id ?? '')}; rel="prev"` };
  }

  private account(a: FakeAccount): Record<string, unknown> {
    const base = { id: a.id, username: a.username, acct: a.acct, url: a.url, display_name: a.display_name, locked: false, bot: false, created_at: '2024-01-01T00:00:00.000Z', note: '', avatar: '', followers_count: 0, following_count: 0, statuses_count: 0 };
    if (!this.options.minimal) return base;
    // display_name may be empty and url missing on some servers that speak the API (Pleroma, GoToSocial)
    const { url, display_name, ...rest } = base;
    void url;
    void display_name;
    return rest;
  }

  private status(st: FakeStatus): Record<string, unknown> {
    const base: Record<string, unknown> = {
      id: st.id, created_at: st.created_at, in_reply_to_id: st.in_reply_to_id, in_reply_to_account_id: st.in_reply_to_id ? (this.state.statuses.get(st.in_reply_to_id)?.account.id ?? null) : null,
      sensitive: st.spoiler_text !== '', spoiler_text: st.spoiler_text, visibility: st.visibility, language: 'en', uri: st.uri, url: st.url,
      replies_count: 0, reblogs_count: 0, favourites_count: 0, content: st.content, reblog: null, account: this.account(st.account),
      media_attachments: [], mentions: [], tags: [], emojis: [], card: null, poll: null,
    };
    if (!this.options.minimal) return base;
    // nullable fields left out rather than null
    for (const k of ['url', 'in_reply_to_account_id', 'language', 'card', 'poll', 'reblog']) if (base[k] === null || k === 'url') delete base[k];
    if (st.in_reply_to_id === null) delete base.in_reply_to_id;
    return base;
  }

  private send(res: http.ServerResponse, status: number, body: unknown, link?: string, reset?: Date | null): void {
    const json = JSON.stringify(body);
    const resetAt = reset === undefined ? new Date(Math.ceil(Date.now() / 300_000) * 300_000) : reset;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
      'x-ratelimit-limit': '300',
      'x-ratelimit-remaining': status === 429 ? '0' : '299',
      ...(resetAt ? { 'x-ratelimit-reset': resetAt.toISOString() } : {}),
      ...(link ? { link } : {}),
    });
    res.end(json);
  }
}

export async function startFakeMastodon(options: FakeMastodonOptions = {}): Promise<FakeMastodonApi> {
  const fake = new FakeMastodonApi(options);
  await fake.listen();
  fake.state = new FakeMastodonState(fake.url, 'kestrelhome');
  return fake;
}
