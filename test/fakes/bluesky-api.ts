/**
 * A local stand-in for a Bluesky PDS (and, behind its atproto-proxy header, the chat service) that the real
 * @atproto/api client reaches over HTTP: app-password sessions with refresh, listNotifications, getPosts,
 * getAuthorFeed, createRecord and chat.bsky.convo.*; XRPC error bodies ({error, message}), rate-limit headers,
 * and controls for tests to inject failures, including "Bluesky wrote it but the answer was lost".
 */
import type http from 'node:http';
import { LoopbackFake } from './loopback-server';
import { FakeBlueskyState } from './bluesky-state';
import type { FakeProfile } from './bluesky-state';
import { chatRoutes, pdsRoutes, type Handler } from './bluesky-routes';

export type { FakeConvo, FakeMessage, FakePost, FakeProfile } from './bluesky-state';

export const CHAT_PROXY = 'did:web:api.bsky.chat#bsky_chat';
export const APP_PASSWORD = 'abcd-efgh-ijkl-mnop';

export interface FailureRule {
  /** an HTTP status, or 'drop': close the connection with no answer */
  status: number | 'drop';
  /** the XRPC error name (default by status: RateLimitExceeded, InternalServerError, ...) */
  error?: string;
  message?: string;
  /** run the method first (a post or message is written), then answer the failure: "written, answer lost" */
  afterAccepting?: boolean;
  /** consecutive failing answers (default 1) */
  times?: number;
  /** let this many calls succeed first */
  after?: number;
  /** for 429: ratelimit-reset in epoch seconds (default now + 5 min); null: no ratelimit-* headers at all */
  resetAt?: number | null;
}

export interface RecordedCall {
  nsid: string;
  query: URLSearchParams;
  body: unknown;
  proxy?: string;
}

const ERROR_NAMES: Record<number, string> = { 400: 'InvalidRequest', 401: 'AuthenticationRequired', 429: 'RateLimitExceeded', 500: 'InternalServerError', 502: 'UpstreamFailure', 503: 'NotEnoughResources' };

export class FakeBluesky extends LoopbackFake {
  readonly state: FakeBlueskyState;
  readonly calls: RecordedCall[] = [];
  /** leave out every optional field the lexicons allow */
  minimal = false;
  password = APP_PASSWORD;
  private readonly rules = new Map<string, Required<Pick<FailureRule, 'times' | 'after'>> & FailureRule>();
  private readonly access = new Map<string, 'valid' | 'expired'>();
  private readonly refresh = new Map<string, 'valid' | 'expired'>();
  private tokens = 0;

  constructor(me: FakeProfile) {
    super();
    this.state = new FakeBlueskyState(me);
  }

  get me(): FakeProfile {
    return this.state.me;
  }

  failNext(nsid: string, rule: FailureRule): void {
    this.rules.set(nsid, { ...rule, times: rule.times ?? 1, after: rule.after ?? 0 });
  }

  /** every access token now answers 400 ExpiredToken; with `refreshToo` refreshSession does as well */
  expireSessions(refreshToo = false): void {
    for (const token of this.access.keys()) this.access.set(token, 'expired');
    if (refreshToo) for (const token of this.refresh.keys()) this.refresh.set(token, 'expired');
  }

  count(nsid: string): number {
    return this.calls.filter((c) => c.nsid === nsid).length;
  }

  issueTokens(): { accessJwt: string; refreshJwt: string } {
    this.tokens += 1;
    const pair = { accessJwt: `access-${this.tokens}`, refreshJwt: `refresh-${this.tokens}` };
    this.access.set(pair.accessJwt, 'valid');
    this.refresh.set(pair.refreshJwt, 'valid');
    return pair;
  }

  tokenState(kind: 'access' | 'refresh', header: string | undefined): 'valid' | 'expired' | 'missing' {
    const token = header?.replace(/^Bearer /, '');
    return (token && (kind === 'access' ? this.access : this.refresh).get(token)) || 'missing';
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    const body: unknown = rawBody ? JSON.parse(rawBody) : undefined;
    const proxy = typeof req.headers['atproto-proxy'] === 'string' ? req.headers['atproto-proxy'] : undefined;
    this.calls.push({ nsid, query: url.searchParams, body, ...(proxy ? { proxy } : {}) });
    const rule = this.ruleFor(nsid);
    if (rule && !rule.afterAccepting) return this.fail(res, rule);

    const chat = chatRoutes[nsid];
    const route: Handler | undefined = chat ?? pdsRoutes[nsid];
    if (!route) return xrpcError(res, 501, 'MethodNotImplemented', `Method Not Implemented: ${nsid}`);
    // without the proxy header a PDS has no chat methods of its own
    if (chat && proxy !== CHAT_PROXY) return xrpcError(res, 501, 'MethodNotImplemented', `${nsid} needs atproto-proxy: ${CHAT_PROXY}`);
    if (!['com.atproto.server.createSession', 'com.atproto.server.refreshSession'].includes(nsid)) {
      const auth = this.tokenState('access', req.headers.authorization);
      if (auth === 'expired') return xrpcError(res, 400, 'ExpiredToken', 'Token has expired');
      if (auth === 'missing') return xrpcError(res, 401, 'AuthenticationRequired', 'Authentication Required');
    }
    const answer = route({ fake: this, query: url.searchParams, body, authorization: req.headers.authorization });
    if (rule) return this.fail(res, rule);
    if ('error' in answer) return xrpcError(res, answer.status, answer.error, answer.message);
    json(res, 200, answer.body);
  }

  private ruleFor(nsid: string) {
    const rule = this.rules.get(nsid);
    if (!rule) return undefined;
    if (rule.after > 0) {
      rule.after -= 1;
      return undefined;
    }
    rule.times -= 1;
    if (rule.times <= 0) this.rules.delete(nsid);
    return rule;
  }

  private fail(res: http.ServerResponse, rule: FailureRule): void {
    if (rule.status === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (rule.status === 429 && rule.resetAt !== null) {
      const reset = rule.resetAt ?? Math.floor(Date.now() / 1000) + 300;
      res.setHeader('ratelimit-limit', '3000');
      res.setHeader('ratelimit-remaining', '0');
      res.setHeader('ratelimit-reset', String(reset));
      res.setHeader('ratelimit-policy', '3000;w=300');
    }
    xrpcError(res, rule.status, rule.error ?? ERROR_NAMES[rule.status] ?? 'InternalServerError', rule.message ?? 'injected failure');
  }
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function xrpcError(res: http.ServerResponse, status: number, error: string, message: string): void {
  json(res, status, { error, message });
}

export async function startFakeBluesky(handle = 'kestrelhome.bsky.social'): Promise<FakeBluesky> {
  const did = 'did:plc:kestrelhome00000000000000';
  return new FakeBluesky({ did, handle, displayName: 'Kestrel Home' }).listen();
}
