/**
 * A local stand-in for the Slack Web API (methods and error names from ../shared/specs/slack-web-api-openapi-v2.json,
 * with Slack's current docs where they differ) that the real @slack/web-api WebClient reaches over HTTP on 127.0.0.1:
 * `new WebClient(token, { slackApiUrl: fake.url + '/api/' })`.
 */
import { LoopbackFake } from './loopback-server';
import type http from 'node:http';
import { CHAT_METHODS } from './slack-api-chat';
import { READ_METHODS } from './slack-api-read';
import { DEFAULT_SLACK_IDENTITY, FakeSlackState } from './slack-api-state';
import type { FakeSlackChannel, FakeSlackEphemeral, FakeSlackMessage, FakeSlackUser, FakeSlackView, SlackIdentity } from './slack-api-state';
import { fail, parseSlackRequest } from './slack-api-wire';
import { FakeSlackSocket } from './slack-socket';
import type { SlackAnswer, SlackArgs } from './slack-api-wire';

export { DEFAULT_SLACK_IDENTITY } from './slack-api-state';
export type { FakeSlackChannel, FakeSlackEphemeral, FakeSlackMessage, FakeSlackUser, FakeSlackView, SlackIdentity, SlackMetadata, SlackReaction } from './slack-api-state';

/** HTTP 429 with `Retry-After`, or an `ok: false` answer with `error` (HTTP 200 unless `status` says otherwise). */
export type SlackFailure = { status: 429; retryAfter: number } | { error: string; status?: number };

export interface FakeSlackCall {
  method: string;
  /** the arguments as parsed from the form or JSON body (and query), without the token */
  body: SlackArgs;
  token?: string;
  encoding: 'form' | 'json' | 'none';
  status: number;
  error?: string;
}

const METHODS = { ...CHAT_METHODS, ...READ_METHODS };

export class FakeSlackApi extends LoopbackFake {
  readonly calls: FakeSlackCall[] = [];
  readonly state: FakeSlackState;
  /** Socket Mode: apps.connections.open and the ws:// server it points at */
  readonly socket: FakeSlackSocket;
  private readonly failures = new Map<string, { failure: SlackFailure; times: number }[]>();

  constructor(identity: Partial<SlackIdentity> = {}) {
    super();
    this.state = new FakeSlackState({ ...DEFAULT_SLACK_IDENTITY, ...identity });
    this.socket = new FakeSlackSocket(this.state.identity.appId);
  }

  override async listen(): Promise<this> {
    await this.socket.listen();
    return super.listen();
  }

  override async close(): Promise<void> {
    await this.socket.close();
    await super.close();
  }

  /** Delivers an event_callback body over Socket Mode; resolves once the app acks the envelope. */
  sendSocketEvent(payload: Record<string, unknown>): Promise<void> { return this.socket.send(payload); }

  get identity(): SlackIdentity { return this.state.identity; }
  get apiUrl(): string { return `${this.url}/api/`; }
  get ephemerals(): FakeSlackEphemeral[] { return this.state.ephemerals; }
  get views(): FakeSlackView[] { return this.state.views; }

  addChannel(id: string, name: string, options: { isPrivate?: boolean; isMember?: boolean } = {}): FakeSlackChannel {
    const channel = { id, name, isPrivate: options.isPrivate ?? false, isMember: options.isMember ?? true, created: 1732700000 };
    this.state.channels.set(id, channel);
    return channel;
  }

  addUser(user: { id: string; name: string; realName?: string; displayName?: string; email?: string; isBot?: boolean; locale?: string }): FakeSlackUser {
    const stored = { realName: user.name, displayName: '', isBot: false, locale: 'en-US', ...user };
    this.state.users.set(user.id, stored);
    return stored;
  }

  /** A message someone wrote in Slack (an agent's thread reply, say), to pair with the event a test then sends. */
  addMessage(channel: string, message: { user: string; text: string; thread_ts?: string; blocks?: unknown[] }): FakeSlackMessage {
    return this.state.add(this.channelId(channel), message);
  }

  /** The next `times` calls of `method` fail this way (after the token check), before the method runs. */
  failNext(method: string, failure: SlackFailure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ failure, times });
    this.failures.set(method, queue);
  }

  callsTo(method: string): FakeSlackCall[] { return this.calls.filter((c) => c.method === method); }
  /** What the channel shows, oldest first: top-level messages and replies broadcast to it. */
  messages(channel: string): FakeSlackMessage[] { return this.state.history(this.channelId(channel)); }
  /** The replies in the thread under `ts`, oldest first (without the parent). */
  thread(channel: string, ts: string): FakeSlackMessage[] { return this.state.replies(this.channelId(channel), ts); }
  message(channel: string, ts: string): FakeSlackMessage | undefined { return this.state.find(this.channelId(channel), ts); }
  /** Names of the reactions on a message. */
  reactions(channel: string, ts: string): string[] { return (this.message(channel, ts)?.reactions ?? []).map((r) => r.name); }


  private channelId(channel: string): string {
    return this.state.channel(channel)?.id ?? channel;
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const request = parseSlackRequest(req.url ?? '/', req.headers, raw);
    const { status, body, headers } = this.answer(request.method, request.error, request.token, request.args);
    if (request.warnings.length > 0) Object.assign(body, { warning: request.warnings.join(','), response_metadata: { warnings: request.warnings } });
    const { method, args, token, encoding } = request;
    this.calls.push({ method, body: args, token, encoding, status, ...(body.ok ? {} : { error: String(body.error) }) });
    const json = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...headers });
    res.end(json);
  }

  /** Slack's order: the method, the body, the token, then (here) an injected failure, then the method itself. */
  private answer(method: string, bodyError: string | undefined, token: string | undefined, args: SlackArgs): { status: number; body: SlackAnswer; headers?: Record<string, string> } {
    if (method === 'apps.connections.open') return { status: 200, body: bodyError ? fail(bodyError) : this.socket.open(token) };
    const handler = METHODS[method];
    if (!handler) return { status: 200, body: fail('unknown_method', { req_method: method }) };
    if (bodyError) return { status: 200, body: fail(bodyError) };
    if (!token) return { status: 200, body: fail('not_authed') };
    if (token !== this.identity.token) return { status: 200, body: fail('invalid_auth') };
    const failure = this.takeFailure(method);
    if (failure && 'retryAfter' in failure) {
      return { status: 429, body: fail('ratelimited'), headers: { 'retry-after': String(failure.retryAfter) } };
    }
    if (failure) return { status: failure.status ?? 200, body: fail(failure.error) };
    return { status: 200, body: handler({ state: this.state, args }) };
  }

  private takeFailure(method: string): SlackFailure | undefined {
    const queue = this.failures.get(method);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.times -= 1;
    if (next.times <= 0) queue.shift();
    return next.failure;
  }
}

/** Starts a fake Slack Web API on 127.0.0.1 with a random port; `close()` it in `after`/`afterEach`. */
export function startFakeSlackApi(identity: Partial<SlackIdentity> = {}): Promise<FakeSlackApi> {
  return new FakeSlackApi(identity).listen();
}
