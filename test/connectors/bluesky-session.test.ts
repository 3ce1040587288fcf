import assert from 'node:assert/strict';
import { ConnectorAuthError, ConnectorRateLimitError, ConnectorUnavailableError } from '../../src/domain/errors';
import { rejectionOf } from './x-setup';
import { mention, useBlueskyWorld } from './bluesky-setup';

const LIST = 'app.bsky.notification.listNotifications';

describe('Bluesky connector: sessions, rate limits and failures', () => {
  const w = useBlueskyWorld();

  it('logs in once with the app password and keeps the session across polls', async () => {
    mention(w, 'hi');
    await w.connector.pullTimeline('notifications', {});
    await w.connector.pullTimeline('chat', {});
    await w.connector.pullTimeline('notifications', {});
    assert.equal(w.fake.count('com.atproto.server.createSession'), 1);
  });

  it('a wrong app password is an auth error naming the identifier and never the password', async () => {
    w.fake.password = 'another-password';
    const err = await rejectionOf(w.connector.pullTimeline('notifications', {}));
    assert.ok(err instanceof ConnectorAuthError);
    assert.match(err.message, /refused the login of kestrelhome\.bsky\.social .*Invalid identifier or password/);
    assert.doesNotMatch(err.message, /abcd-efgh/);
  });

  it('an expired access token is refreshed (no new login) and the call goes through', async () => {
    mention(w, 'hi');
    await w.connector.pullTimeline('notifications', {});
    w.fake.expireSessions();
    mention(w, 'again');
    const { messages } = await w.connector.pullTimeline('notifications', {});
    assert.equal(messages.length, 2);
    assert.equal(w.fake.count('com.atproto.server.refreshSession'), 1);
    assert.equal(w.fake.count('com.atproto.server.createSession'), 1);
  });

  it('when the refresh token has expired too, it logs in again once', async () => {
    await w.connector.pullTimeline('notifications', {});
    w.fake.expireSessions(true);
    mention(w, 'hi');
    assert.equal((await w.connector.pullTimeline('notifications', {})).messages.length, 1);
    assert.equal(w.fake.count('com.atproto.server.createSession'), 2);
  });

  it('the refresh succeeds and listNotifications then fails: unavailable, and the next poll reads it all', async () => {
    await w.connector.pullTimeline('notifications', {});
    w.fake.expireSessions();
    mention(w, 'hi');
    w.fake.failNext(LIST, { status: 503, after: 1 });
    assert.ok((await rejectionOf(w.connector.pullTimeline('notifications', {}))) instanceof ConnectorUnavailableError);
    assert.equal(w.fake.count('com.atproto.server.refreshSession'), 1);
    assert.equal((await w.connector.pullTimeline('notifications', {})).messages.length, 1);
    assert.equal(w.fake.count('com.atproto.server.createSession'), 1);
  });

  it('a 429 with ratelimit-reset waits until that time', async () => {
    const reset = Math.floor(Date.now() / 1000) + 900;
    w.fake.failNext(LIST, { status: 429, resetAt: reset });
    const err = await rejectionOf(w.connector.pullTimeline('notifications', {}));
    assert.ok(err instanceof ConnectorRateLimitError);
    assert.equal(err.resetAt.getTime(), reset * 1000);
  });

  it('a 429 without ratelimit-reset backs off, longer each time in a row', async () => {
    w.fake.failNext(LIST, { status: 429, resetAt: null, times: 2 });
    const first = await rejectionOf(w.connector.pullTimeline('notifications', {}));
    const second = await rejectionOf(w.connector.pullTimeline('notifications', {}));
    assert.ok(first instanceof ConnectorRateLimitError && second instanceof ConnectorRateLimitError);
    assert.ok(second.resetAt > first.resetAt);
    assert.ok(first.resetAt.getTime() > Date.now());
  });

  it('a dropped connection and a 500 in XRPC form are each "unavailable"', async () => {
    w.fake.failNext(LIST, { status: 'drop' });
    assert.ok((await rejectionOf(w.connector.pullTimeline('notifications', {}))) instanceof ConnectorUnavailableError);
    w.fake.failNext(LIST, { status: 500, error: 'InternalServerError', message: 'Internal Server Error' });
    const err = await rejectionOf(w.connector.pullTimeline('notifications', {}));
    assert.ok(err instanceof ConnectorUnavailableError);
    assert.match(err.message, /listNotifications \(InternalServerError: Internal Server Error\)/);
  });

  it('an account that asks for a sign-in code is refused with the hint to use an app password', async () => {
    w.fake.failNext('com.atproto.server.createSession', { status: 401, error: 'AuthFactorTokenRequired', message: 'A sign in code has been sent to your email address' });
    const err = await rejectionOf(w.connector.pullTimeline('notifications', {}));
    assert.ok(err instanceof ConnectorAuthError);
    assert.match(err.message, /use an app password/);
  });

  it('a 429 on the login itself is a wait, not a refusal of the credentials', async () => {
    w.fake.failNext('com.atproto.server.createSession', { status: 429, resetAt: Math.floor(Date.now() / 1000) + 300 });
    assert.ok((await rejectionOf(w.connector.pullTimeline('notifications', {}))) instanceof ConnectorRateLimitError);
    mention(w, 'hi');
    assert.equal((await w.connector.pullTimeline('notifications', {})).messages.length, 1);
  });

  it('listConvos succeeds and getMessages then fails: unavailable, and the next poll reads the message', async () => {
    const convo = w.fake.state.convoFor([w.anna.did]);
    w.fake.state.addMessage(convo, w.anna.did, 'a question');
    w.fake.failNext('chat.bsky.convo.getMessages', { status: 'drop' });
    assert.ok((await rejectionOf(w.connector.pullTimeline('chat', {}))) instanceof ConnectorUnavailableError);
    assert.deepEqual((await w.connector.pullTimeline('chat', {})).messages.map((m) => m.text), ['a question']);
  });

  it('an app password without DM access fails the chat timeline as an auth error, notifications still work', async () => {
    w.fake.failNext('chat.bsky.convo.listConvos', { status: 400, error: 'InvalidToken', message: 'Bad token scope', times: 2 });
    assert.ok((await rejectionOf(w.connector.pullTimeline('chat', {}))) instanceof ConnectorAuthError);
    mention(w, 'hi');
    assert.equal((await w.connector.pullTimeline('notifications', {})).messages.length, 1);
  });
});

describe('Bluesky connector: a slow PDS', () => {
  const w = useBlueskyWorld({ timeoutMs: 300 });

  it('an answer slower than the timeout is "unavailable", not a hang', async () => {
    await w.connector.pullTimeline('notifications', {});
    w.fake.latencyMs = 1500;
    assert.ok((await rejectionOf(w.connector.pullTimeline('notifications', {}))) instanceof ConnectorUnavailableError);
  });
});
