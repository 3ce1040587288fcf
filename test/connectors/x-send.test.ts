import assert from 'node:assert/strict';
import { xTextLength } from '../../connectors/x';
import { ConnectorUnavailableError, ReplyNotAllowedError, ValidationError } from '../../src/domain/errors';
import type { OutboundReply } from '../../src/domain/message';
import type { FakeUser } from '../fakes/x-api';
import { rejectionOf, startXWorld } from './x-setup';
import type { XWorld } from './x-setup';

const reply = (over: Partial<OutboundReply>): OutboundReply => ({
  channel: 'x', account: 'acct-x-1', threadKey: 't', kind: 'mention', text: 'Thanks, fixed!', idempotencyKey: 'k1', ...over,
});

const TWEETS = 'POST /2/tweets';

describe('X connector: send (real twitter-api-v2 against the fake X API)', () => {
  let w: XWorld;
  let jane: FakeUser;
  beforeEach(async () => {
    w = await startXWorld();
    jane = w.fake.addUser('jane_doe', 'Jane Doe');
  });
  afterEach(() => w.fake.close());

  it('replies to the customer\'s post through POST /2/tweets', async () => {
    const mention = w.fake.addMention({ from: jane });
    const result = await w.connector.send(reply({ inReplyToExternalId: mention.id, text: '@jane_doe on its way' }));

    const [req] = w.fake.requestsTo('POST /2/tweets');
    assert.deepEqual(req?.body, { text: '@jane_doe on its way', reply: { in_reply_to_tweet_id: mention.id } });
    assert.equal(req?.auth, 'oauth1');
    assert.deepEqual(w.fake.createdPosts, [{ id: result.externalId, text: '@jane_doe on its way', inReplyToTweetId: mention.id }]);
    assert.equal(result.url, `https://x.com/i/web/status/${result.externalId}`);
  });

  it('sends a DM through POST /2/dm_conversations/with/:id/messages and reads the wrapped answer', async () => {
    const result = await w.connector.send(reply({ kind: 'dm', recipientId: jane.id, text: 'Your refund is on its way.' }));

    const [req] = w.fake.requestsTo('POST /2/dm_conversations/with/:participant_id/messages');
    assert.equal(req?.path, `/2/dm_conversations/with/${jane.id}/messages`);
    assert.deepEqual(req?.body, { text: 'Your refund is on its way.' });
    const [sent] = w.fake.sentDms;
    assert.equal(result.externalId, sent?.dmEventId);
    assert.equal(result.url, `https://x.com/messages/${sent?.dmConversationId}`);
  });

  it('refuses a reply over 280 characters before any request, naming the limit', async () => {
    const err = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: '1', text: 'a'.repeat(281) })));
    assert.ok(err instanceof ValidationError, String(err));
    assert.match(err.message, /281 characters; X allows at most 280/);
    assert.deepEqual(err.details, { limit: 280, length: 281 });
    assert.equal(w.fake.requests.length, 0);
  });

  it('counts a long link as 23, so a reply X accepts is not refused', async () => {
    const mention = w.fake.addMention({ from: jane });
    const text = `${'b'.repeat(250)} https://example.com/${'p'.repeat(80)}`;
    const result = await w.connector.send(reply({ inReplyToExternalId: mention.id, text }));
    assert.equal(w.fake.createdPosts[0]?.id, result.externalId);
  });

  it('allows DMs longer than a post', async () => {
    await w.connector.send(reply({ kind: 'dm', recipientId: jane.id, text: 'c'.repeat(500) }));
    assert.equal(w.fake.sentDms.length, 1);
  });

  it('refuses a reply without the post it answers, and a DM without a recipient', async () => {
    assert.ok((await rejectionOf(w.connector.send(reply({})))) instanceof ValidationError);
    assert.ok((await rejectionOf(w.connector.send(reply({ kind: 'dm' })))) instanceof ValidationError);
    assert.equal(w.fake.requests.length, 0);
  });

  it('a reply X refuses (403 on a deleted post) is a ValidationError, not an auth failure', async () => {
    const err = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: '1234567890' })));
    assert.ok(err instanceof ValidationError, String(err));
    assert.match(err.message, /403.*deleted or not visible/);
  });

  it('a 503 while posting throws ConnectorUnavailableError and creates nothing', async () => {
    const mention = w.fake.addMention({ from: jane });
    w.fake.failNext('POST /2/tweets', { status: 503 });
    const err = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: mention.id })));
    assert.ok(err instanceof ConnectorUnavailableError, String(err));
    assert.equal(w.fake.createdPosts.length, 0);
  });

  it('works with a bearer token too (verify answers who the account is)', async () => {
    const bearer = await startXWorld({ credentials: { bearerToken: 'user-context-token' } });
    try {
      const me = await bearer.connector.verify();
      assert.deepEqual(me, { id: bearer.fake.me.id, username: 'acme_support', name: 'Acme Support' });
      assert.equal(bearer.fake.requests[0]?.auth, 'bearer');
    } finally {
      await bearer.fake.close();
    }
  });

  // who X lets us reply to (self-serve apps, since 2026-02-23)
  it('marks each pulled post: it @mentions us, it does not (a follow-up without the handle), or cannot tell (a quote)', async () => {
    const root = w.fake.addMention({ from: jane, text: 'Hey @ACME_support, my order is late' });
    const ours = w.fake.state.addPost(w.fake.me, '@jane_doe sorry, checking', root.id);
    const bare = w.fake.addMention({ from: jane, text: 'any news? cc @jane_doe', inReplyTo: ours.id });
    const quote = w.fake.addMention({ from: jane, text: 'look at this' });
    quote.referenced_tweets = [{ type: 'quoted', id: ours.id }];
    const { messages } = await w.connector.pull(null);
    const flag = (id: string) => messages.find((m) => m.externalId === id)?.mentionsAccount;
    assert.deepEqual([flag(root.id), flag(bare.id), flag(quote.id)], [true, false, undefined]);
  });

  it('refuses a reply to a post that does not mention us before asking X', async () => {
    const bare = w.fake.addMention({ from: jane, text: 'any news?' });
    const err = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: bare.id, inReplyToMentionsAccount: false })));
    assert.ok(err instanceof ReplyNotAllowedError);
    assert.equal(err.code, 'reply_not_allowed');
    assert.equal(w.fake.requestsTo(TWEETS).length, 0);
  });

  it('X\'s own 403 for such a reply becomes ReplyNotAllowedError; its 403 for a deleted post stays a ValidationError', async () => {
    const bare = w.fake.addMention({ from: jane, text: 'any news?' });
    const refused = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: bare.id })));
    assert.ok(refused instanceof ReplyNotAllowedError, String(refused));
    assert.match(refused.message, /\(403\): Reply to this conversation is not allowed/);
    const gone = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: '1234567890' })));
    assert.ok(gone instanceof ValidationError && !(gone instanceof ReplyNotAllowedError));
    assert.equal(w.fake.createdPosts.length, 0);
  });

  it('sends a new post (kind "post") without a reply target, and finds it again after a lost answer', async () => {
    const since = new Date(Date.now() - 1000);
    w.fake.failNext(TWEETS, { status: 'drop', afterAccepting: true });
    const post = reply({ kind: 'post', text: '@jane_doe your refund is on its way' });
    await rejectionOf(w.connector.send(post));
    const [created] = w.fake.createdPosts;
    assert.deepEqual([created?.text, created?.inReplyToTweetId], ['@jane_doe your refund is on its way', undefined]);
    assert.equal((await w.connector.findSent(post, since))?.externalId, created?.id);
  });
});

describe('xTextLength', () => {
  it('counts like X: code points, CJK and emoji as 2, links as 23', () => {
    assert.equal(xTextLength('Grüße aus München'), 17);
    assert.equal(xTextLength('日本語'), 6);
    assert.equal(xTextLength('ok 👍'), 5);
    assert.equal(xTextLength('👨‍👩‍👧'), 2);
    assert.equal(xTextLength(`see https://example.com/${'x'.repeat(100)}`), 4 + 23);
  });
});
