/**
 * A local stand-in for X API v2 (built from ../shared/specs/x-api-v2-openapi.json) that the real
 * twitter-api-v2 client reaches over HTTP on 127.0.0.1: mentions, the account's own posts, DM events
 * (all, or one conversation's), posting, DMs, rate-limit headers, X's error bodies, and controls for
 * tests to inject failures, including "X accepted it but the answer was lost" (see FailureRule).
 */
import { LoopbackFake } from './loopback-server';
import type http from 'node:http';
import { ROUTES } from './x-api-routes';
import type { RouteAnswer } from './x-api-routes';
import { reshape } from './x-api-shapes';
import type { PageShape } from './x-api-shapes';
import { FakeXState } from './x-api-state';
import type { CreatedPost, DmInput, FakeDmEvent, FakeTweet, FakeUser, MentionInput, SentDm } from './x-api-state';
import { problem, send } from './x-api-wire';
import type { RateWindow, XRoute } from './x-api-wire';

export type { XRoute } from './x-api-wire';
export type { PageShape } from './x-api-shapes';
export type { CreatedPost, DmInput, FakeDmEvent, FakeTweet, FakeUser, MentionInput, SentDm } from './x-api-state';

export interface RecordedRequest {
  method: string;
  path: string;
  /** the endpoint template it matched, if any */
  route?: XRoute;
  query: Record<string, string>;
  body: unknown;
  auth: 'bearer' | 'oauth1' | 'none';
}

export interface FailureRule {
  /**
   * HTTP status to answer: 429, 401, 403, 500, 503, ... or 'drop': close the connection with no answer
   * at all, which twitter-api-v2 reports as ApiRequestError ("socket hang up", ECONNRESET), as it does
   * when a real connection breaks before the answer arrives.
   */
  status: number | 'drop';
  /**
   * Run the endpoint first (a post or DM is stored, with all its effects), then answer `status` instead
   * of its answer: "X accepted it but the answer was lost". With 'drop' the client cannot tell this from
   * a request X never got (the closest to a real lost response); with 503 it is X's own "failed" answer
   * for a post that went out anyway. Both reach the connector as ConnectorUnavailableError.
   */
  afterAccepting?: boolean;
  /** how many consecutive responses fail (default 1; Infinity: until `clearFailures`) */
  times?: number;
  /** let this many requests to the route succeed first ("failure mid-poll") */
  after?: number;
  /** for 429: x-rate-limit-reset, epoch seconds (default: now + 15 min); null: no x-rate-limit-reset header */
  resetAt?: number | null;
  detail?: string;
  /** the problem type, e.g. https://api.x.com/2/problems/oauth1-permissions for a 403 (default about:blank) */
  type?: string;
}

export interface FakeXApiOptions {
  me?: Partial<FakeUser> & { username: string };
  /** requests per 15-minute window per route before the fake answers 429 by itself */
  rateLimit?: number;
}

type Answer = { status: number; body: unknown; reset?: number | null } | { status: 'drop'; body: undefined };
type Rule = Required<Omit<FailureRule, 'detail' | 'type'>> & Pick<FailureRule, 'detail' | 'type'>;

const WINDOW_SECONDS = 15 * 60;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export class FakeXApi extends LoopbackFake {
  readonly requests: RecordedRequest[] = [];
  readonly state: FakeXState;
  private readonly failures = new Map<XRoute, Rule>();
  private readonly shapes = new Map<XRoute, { shape: PageShape; times: number }>();
  private readonly windows = new Map<string, RateWindow & { reset: number }>();

  constructor(private readonly options: FakeXApiOptions = {}) {
    super();
    this.state = new FakeXState(options.me);
  }

  get me(): FakeUser { return this.state.me; }
  get createdPosts(): CreatedPost[] { return this.state.createdPosts; }
  get sentDms(): SentDm[] { return this.state.sentDms; }

  addUser(username: string, name?: string): FakeUser { return this.state.addUser({ username, name }); }
  addMention(m: MentionInput): FakeTweet { return this.state.addMention(m); }
  addDm(d: DmInput): FakeDmEvent { return this.state.addDm(d); }

  /** The next `times` responses of `route` (after `after` successes) answer `status`; replaces any earlier rule. */
  failNext(route: XRoute, rule: FailureRule): void {
    this.failures.set(route, { times: 1, after: 0, resetAt: nowSeconds() + WINDOW_SECONDS, afterAccepting: false, ...rule });
  }

  /** The next `times` 200 answers of `route` come in `shape` (see PageShape); replaces any earlier one. */
  reshapeNext(route: XRoute, shape: PageShape, times = 1): void {
    this.shapes.set(route, { shape, times });
  }

  clearFailures(): void {
    this.failures.clear();
    this.shapes.clear();
  }

  requestsTo(route: XRoute): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }


  protected handle(req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const match = ROUTES.map((r) => ({ r, m: r.method === method ? r.pattern.exec(url.pathname) : null })).find((x) => x.m);
    const header = req.headers.authorization ?? '';
    const auth = header.startsWith('Bearer ') ? 'bearer' : header.startsWith('OAuth ') ? 'oauth1' : 'none';
    let body: unknown = undefined;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = rawBody;
    }
    this.requests.push({ method, path: url.pathname, route: match?.r.route, query: Object.fromEntries(url.searchParams), body, auth });
    const window = this.window(match?.r.route ?? 'other');
    if (!match) return send(res, 404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] }, window);
    const answer = this.answer(match.r.route, window, auth, () => {
      const params = Object.fromEntries(match.r.keys.map((k, i) => [k, decodeURIComponent(match.m?.[i + 1] ?? '')]));
      if (typeof body === 'string') return { status: 400, body: problem(400, 'Request body is not valid JSON') };
      return this.shaped(match.r.route, match.r.handle({ state: this.state, query: url.searchParams, params, body, authorization: header }), params.id);
    });
    // a lost answer: no status line, no body; the client sees the connection reset
    if (answer.status === 'drop') {
      res.destroy();
      return;
    }
    send(res, answer.status, answer.body, answer.status === 429 ? { ...window, remaining: 0, reset: answer.reset === undefined ? window.reset : answer.reset } : window);
  }

  /** Order of X's own checks: authentication, then rate limit, then the endpoint. */
  private answer(route: XRoute, window: RateWindow, auth: string, run: () => RouteAnswer): Answer {
    if (auth === 'none') return { status: 401, body: problem(401) };
    const limited = (): RouteAnswer => {
      if (window.remaining <= 0) return { status: 429, body: problem(429) };
      window.remaining -= 1;
      return run();
    };
    const rule = this.failures.get(route);
    if (rule && rule.after > 0) rule.after -= 1;
    else if (rule) {
      rule.times -= 1;
      if (rule.times <= 0) this.failures.delete(route);
      // whatever the endpoint did stays done; only its answer is replaced
      if (rule.afterAccepting) limited();
      if (rule.status === 'drop') return { status: 'drop', body: undefined };
      return { status: rule.status, body: { ...problem(rule.status, rule.detail), ...(rule.type ? { type: rule.type } : {}) }, reset: rule.resetAt };
    }
    return limited();
  }

  private shaped(route: XRoute, answer: RouteAnswer, subject = this.state.me.id): RouteAnswer {
    const rule = this.shapes.get(route);
    if (!rule || answer.status !== 200) return answer;
    rule.times -= 1;
    if (rule.times <= 0) this.shapes.delete(route);
    return { status: 200, body: reshape(answer.body as Record<string, unknown>, rule.shape, subject) };
  }

  private window(key: string): RateWindow & { reset: number } {
    let w = this.windows.get(key);
    if (!w || w.reset <= nowSeconds()) {
      const limit = this.options.rateLimit ?? 300;
      w = { limit, remaining: limit, reset: nowSeconds() + WINDOW_SECONDS };
      this.windows.set(key, w);
    }
    return w;
  }
}

/** Starts a fake X API on 127.0.0.1 with a random port; `close()` it in `after`/`afterEach`. */
export function startFakeXApi(options: FakeXApiOptions = {}): Promise<FakeXApi> {
  return new FakeXApi(options).listen();
}
