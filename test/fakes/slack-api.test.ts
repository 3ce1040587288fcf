import assert from 'node:assert/strict';
import { verifySlackRequest, webApi } from '@slack/bolt';
import { startFakeSlackApi } from './slack-api';
import type { FakeSlackApi } from './slack-api';
import { signSlackRequest } from '../support/slack-requests';

// the WebClient Bolt itself uses (@slack/web-api is Bolt's dependency, not ours)
const { WebClient, ErrorCode } = webApi;
type WebClient = InstanceType<typeof webApi.WebClient>;
interface CodedError extends Error { code: string; data?: { error?: string }; retryAfter?: number; statusCode?: number }

/** The client pointed at the fake; no retries unless a test asks. */
function clientFor(fake: FakeSlackApi, token = fake.identity.token, options: webApi.WebClientOptions = {}): WebClient {
  return new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR, ...options });
}

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  try {
    await promise;
  } catch (err) {
    return err as CodedError;
  }
  throw new Error('expected the call to fail');
}
const slackError = async (promise: Promise<unknown>): Promise<string | undefined> => (await failure(promise)).data?.error;

describe('fake Slack Web API, driven by the real WebClient', () => {
  let fake: FakeSlackApi;
  let client: WebClient;
  const C = 'C0SUPPORT';

  beforeEach(async () => {
    fake = await startFakeSlackApi();
    fake.addChannel(C, 'support');
    fake.addUser({ id: 'U0AGENT01', name: 'ada', realName: 'Ada Lovelace', displayName: 'ada', email: 'ada@example.com' });
    client = clientFor(fake);
  });
  afterEach(() => fake.close());

  it('stores a posted message with blocks and metadata, answers a Slack ts, returns metadata when asked', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*New mention*' } }];
    const metadata = { event_type: 'conversation_posted', event_payload: { conversation_id: 'c1' } };
    const first = await client.chat.postMessage({ channel: C, text: 'New mention', blocks, metadata, unfurl_links: false });
    const second = await client.chat.postMessage({ channel: '#support', text: 'second' });
    assert.match(first.ts ?? '', /^\d{10}\.\d{6}$/);
    assert.ok(Number(second.ts) > Number(first.ts));
    assert.equal(first.channel, C);
    assert.equal(first.message?.bot_id, fake.identity.botId);
    assert.deepEqual(fake.messages(C).map((m) => m.text), ['New mention', 'second']);
    assert.deepEqual(fake.messages(C)[0]?.blocks, blocks);
    const call = fake.callsTo('chat.postMessage')[0];
    assert.equal(call?.token, fake.identity.token);
    assert.equal(call?.encoding, 'form');
    assert.equal(call?.body.unfurl_links, 'false');

    const history = await client.conversations.history({ channel: C, include_all_metadata: true });
    assert.deepEqual(history.messages?.map((m) => m.text), ['second', 'New mention']);
    assert.deepEqual(history.messages?.[1]?.metadata, metadata);
    const plain = await client.conversations.history({ channel: C });
    assert.equal(plain.messages?.[1]?.metadata, undefined);
  });

  it('threads replies under their parent and broadcasts a reply to the channel when asked', async () => {
    const parent = await client.chat.postMessage({ channel: C, text: 'parent' });
    const parentTs = parent.ts ?? '';
    const agent = fake.addMessage(C, { user: 'U0AGENT01', text: 'agent answer', thread_ts: parentTs });
    await client.chat.postMessage({ channel: C, text: 'sent on X', thread_ts: parentTs, reply_broadcast: true });
    assert.deepEqual(fake.thread(C, parentTs).map((m) => m.text), ['agent answer', 'sent on X']);
    assert.deepEqual(fake.messages(C).map((m) => m.text), ['parent', 'sent on X']);
    assert.equal(fake.message(C, parentTs)?.reply_count, 2);

    const replies = await client.conversations.replies({ channel: C, ts: agent.ts, include_all_metadata: true });
    assert.deepEqual(replies.messages?.map((m) => m.text), ['parent', 'agent answer', 'sent on X']);
    assert.equal(await slackError(client.chat.postMessage({ channel: C, text: 'x', thread_ts: '1000000000.000001' })), 'thread_not_found');
  });

  it('updates its own message and refuses someone else’s', async () => {
    const posted = await client.chat.postMessage({ channel: C, text: 'open' });
    const updated = await client.chat.update({ channel: C, ts: posted.ts ?? '', text: 'resolved by ada', blocks: [] });
    assert.equal(updated.ts, posted.ts);
    assert.equal(fake.message(C, posted.ts ?? '')?.text, 'resolved by ada');
    const human = fake.addMessage(C, { user: 'U0AGENT01', text: 'mine' });
    assert.equal(await slackError(client.chat.update({ channel: C, ts: human.ts, text: 'x' })), 'cant_update_message');
    assert.equal(await slackError(client.chat.update({ channel: C, ts: '1000000000.000001', text: 'x' })), 'message_not_found');
  });

  it('adds a reaction once and answers already_reacted after that', async () => {
    const ts = (await client.chat.postMessage({ channel: C, text: 'reply sent' })).ts ?? '';
    await client.reactions.add({ channel: C, timestamp: ts, name: 'white_check_mark' });
    assert.deepEqual(fake.reactions(C, ts), ['white_check_mark']);
    const again = await failure(client.reactions.add({ channel: C, timestamp: ts, name: 'white_check_mark' }));
    assert.equal(again.code, ErrorCode.PlatformError);
    assert.equal(again.data?.error, 'already_reacted');
  });

  it('answers 429 with Retry-After: rejected as rate-limited, or waited out by a retrying client', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const rejecting = clientFor(fake, undefined, { rejectRateLimitedCalls: true });
    const limited = await failure(rejecting.chat.postMessage({ channel: C, text: 'x' }));
    assert.equal(limited.code, ErrorCode.RateLimitedError);
    assert.equal(limited.retryAfter, 7);
    assert.equal(fake.messages(C).length, 0);

    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const started = Date.now();
    await clientFor(fake, undefined, { retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 } }).chat.postMessage({ channel: C, text: 'later' });
    assert.ok(Date.now() - started >= 1000, 'the client waits Retry-After before it tries again');
    assert.deepEqual(fake.callsTo('chat.postMessage').map((c) => c.status), [429, 429, 200]);

    // without rejectRateLimitedCalls and without retries, the client still sleeps Retry-After, then throws a plain request error
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const slept = await failure(client.chat.postMessage({ channel: C, text: 'x' }));
    assert.equal(slept.code, ErrorCode.RequestError);
    assert.match(slept.message, /rate limit was exceeded/);
  });

  it('surfaces ok:false as platform_error with Slack’s error, and a 5xx as an HTTP error', async () => {
    const unknown = await failure(client.chat.postMessage({ channel: 'C0NOWHERE', text: 'x' }));
    assert.equal(unknown.code, ErrorCode.PlatformError);
    assert.equal(unknown.data?.error, 'channel_not_found');
    fake.failNext('chat.postMessage', { error: 'internal_error', status: 500 });
    const down = await failure(client.chat.postMessage({ channel: C, text: 'x' }));
    assert.equal(down.code, ErrorCode.HTTPError);
    assert.equal(down.statusCode, 500);
    fake.failNext('users.info', { error: 'fatal_error' }, 2);
    assert.equal(await slackError(client.users.info({ user: 'U0AGENT01' })), 'fatal_error');
    assert.equal(await slackError(client.users.info({ user: 'U0AGENT01' })), 'fatal_error');
    const { user } = await client.users.info({ user: 'U0AGENT01' });
    assert.equal(user?.real_name, 'Ada Lovelace');
    assert.deepEqual([user?.profile?.display_name, user?.profile?.email], ['ada', 'ada@example.com']);
    assert.equal(user?.locale, undefined, 'the locale only when asked for');
    assert.equal((await client.users.info({ user: 'U0AGENT01', include_locale: true })).user?.locale, 'en-US');
    assert.equal(await slackError(client.users.info({ user: 'U0NOBODY' })), 'user_not_found');
  });

  it('refuses a wrong token with invalid_auth and a missing one with not_authed', async () => {
    assert.equal(await slackError(clientFor(fake, 'xoxb-wrong').auth.test()), 'invalid_auth');
    assert.equal(await slackError(clientFor(fake, '').chat.postMessage({ channel: C, text: 'x' })), 'not_authed');
    const me = await client.auth.test();
    assert.deepEqual([me.user_id, me.bot_id, me.team_id], [fake.identity.botUserId, fake.identity.botId, fake.identity.teamId]);
  });

  it('accepts a JSON body and answers conversations.info, chat.postEphemeral and views.open', async () => {
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.identity.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: C, text: 'json', blocks: [{ type: 'divider' }] }),
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { ok: boolean }).ok, true);
    assert.equal(fake.callsTo('chat.postMessage')[0]?.encoding, 'json');
    assert.deepEqual(fake.messages(C)[0]?.blocks, [{ type: 'divider' }]);
    assert.equal((await client.conversations.info({ channel: C })).channel?.name, 'support');
    assert.ok((await client.chat.postEphemeral({ channel: C, user: 'U0AGENT01', text: 'too long for X' })).message_ts);
    assert.equal(fake.ephemerals[0]?.text, 'too long for X');
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Reassign' }, blocks: [] };
    assert.equal((await client.views.open({ trigger_id: '1.2.abc', view })).view?.type, 'modal');
    assert.equal(await slackError(client.views.open({ trigger_id: '1.2.abc', view })), 'exchanged_trigger_id');
  });
});

describe('signSlackRequest', () => {
  const secret = 'test-signing-secret';
  const body = JSON.stringify({ type: 'url_verification', challenge: 'abc' });
  const verify = (headers: ReturnType<typeof signSlackRequest>): void =>
    verifySlackRequest({ signingSecret: secret, body, headers: { ...headers, 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) } });

  it('signs the way Bolt verifies; a six-minute-old or foreign signature is refused', () => {
    assert.doesNotThrow(() => verify(signSlackRequest(secret, body)));
    assert.throws(() => verify(signSlackRequest(secret, body, Math.floor(Date.now() / 1000) - 6 * 60)), /stale/);
    assert.throws(() => verify(signSlackRequest('another-secret', body)), /signature mismatch/);
  });
});
