import assert from 'node:assert/strict';
import { sameText } from '../../connectors/x/find-sent';
import { AppError, ConnectorRateLimitError, ConnectorUnavailableError, ValidationError } from '../../src/domain/errors';
import type { OutboundReply } from '../../src/domain/message';
import type { FakeTweet, FakeUser } from '../fakes/x-api';
import { rejectionOf, startXWorld } from './x-setup';
import type { XWorld } from './x-setup';

const POSTS = 'GET /2/users/:id/tweets';
const CONVERSATION = 'GET /2/dm_conversations/with/:participant_id/dm_events';
const HOUR = 3_600_000;

const reply = (over: Partial<OutboundReply>): OutboundReply => ({
  channel: 'x', account: 'acct-x-1', threadKey: 't', kind: 'mention', text: 'Thanks, fixed!', idempotencyKey: 'k1', ...over,
});
const ago = (ms: number): Date => new Date(Date.now() - ms);

describe('X connector: findSent (real twitter-api-v2 against the fake X API)', () => {
  let w: XWorld;
  let jane: FakeUser;
  let mention: FakeTweet;
  beforeEach(async () => {
    w = await startXWorld();
    jane = w.fake.addUser('jane_doe', 'Jane Doe');
    mention = w.fake.addMention({ from: jane, text: '@acme_support my order is late', createdAt: ago(2 * HOUR) });
  });
  afterEach(() => w.fake.close());

  describe('replies', () => {
    it('finds a reply it sent, by target and text, through GET /2/users/:id/tweets', async () => {
      const since = new Date();
      const answer = reply({ inReplyToExternalId: mention.id, text: '@jane_doe it ships today' });
      const sent = await w.connector.send(answer);

      assert.deepEqual(await w.connector.findSent(answer, since), sent);
      const [req] = w.fake.requestsTo(POSTS);
      assert.equal(req?.path, `/2/users/${w.fake.me.id}/tweets`);
      assert.equal(req?.auth, 'oauth1');
      assert.equal(req?.query.start_time, `${since.toISOString().slice(0, 19)}Z`);
      assert.equal(req?.query.exclude, 'retweets');
      assert.deepEqual(req?.query['tweet.fields']?.split(',').sort(), ['conversation_id', 'created_at', 'referenced_tweets']);
    });

    it('ignores a reply to another post and a reply with another text', async () => {
      const other = w.fake.addMention({ from: jane, text: '@acme_support and another thing' });
      const since = ago(60_000);
      await w.connector.send(reply({ inReplyToExternalId: other.id, text: 'Same words' }));
      await w.connector.send(reply({ inReplyToExternalId: mention.id, text: 'Other words' }));

      assert.equal(await w.connector.findSent(reply({ inReplyToExternalId: mention.id, text: 'Same words' }), since), null);
      assert.equal(await w.connector.findSent(reply({ inReplyToExternalId: other.id, text: 'Other words' }), since), null);
      // nor a customer's post in the thread with our words
      w.fake.addMention({ from: jane, text: 'Quoted words', inReplyTo: mention.id });
      assert.equal(await w.connector.findSent(reply({ inReplyToExternalId: mention.id, text: 'Quoted words' }), since), null);
    });

    it('matches after trimming and with links as X returns them (t.co)', async () => {
      const since = ago(60_000);
      const ours = w.fake.state.addPost(w.fake.me, 'Track it here: https://t.co/Ab12Cd34Ef. Thanks!', mention.id);
      const text = '  Track it here: https://shop.example.com/orders/12345?ref=x. Thanks!\n';
      assert.deepEqual(await w.connector.findSent(reply({ inReplyToExternalId: mention.id, text }), since), {
        externalId: ours.id, url: `https://x.com/i/web/status/${ours.id}`, billed: { kind: 'post_with_url_create', id: ours.id },
      });
      // a different sentence around the link is a different reply
      assert.equal(await w.connector.findSent(reply({ inReplyToExternalId: mention.id, text: 'Track it: https://shop.example.com/o/1. Thanks!' }), since), null);
    });

    it('returns null when nothing was sent', async () => {
      assert.equal(await w.connector.findSent(reply({ inReplyToExternalId: mention.id }), ago(HOUR)), null);
      assert.equal(w.fake.requestsTo(POSTS).length, 1);
    });

    it('respects `since`: a same reply from before it is not this one', async () => {
      const old = w.fake.state.addPost(w.fake.me, 'Thanks, fixed!', mention.id, ago(90 * 60_000));
      assert.equal(await w.connector.findSent(reply({ inReplyToExternalId: mention.id }), ago(HOUR)), null);
      assert.equal((await w.connector.findSent(reply({ inReplyToExternalId: mention.id }), ago(2 * HOUR)))?.externalId, old.id);
    });

    it('pages back through the account\'s posts until `since`, counting each post read into the next pull', async () => {
      const since = ago(60_000);
      const sent = await w.connector.send(reply({ inReplyToExternalId: mention.id }));
      for (let i = 0; i < 11; i += 1) w.fake.state.addPost(w.fake.me, `later reply ${i}`, mention.id);

      assert.equal((await w.connector.findSent(reply({ inReplyToExternalId: mention.id }), since))?.externalId, sent.externalId);
      const reqs = w.fake.requestsTo(POSTS);
      assert.equal(reqs.length, 3, 'pages of 5: the match is on the third');
      assert.ok(reqs[1]?.query.pagination_token);
      assert.equal(reqs[2]?.query.start_time, reqs[0]?.query.start_time);

      const { usage } = await w.connector.pull(null);
      assert.deepEqual(usage, { posts: 12 + 1, dmEvents: 0 }, '12 own posts read by findSent, the mention by the pull');
      assert.deepEqual((await w.connector.pull(null)).usage, { posts: 1, dmEvents: 0 }, 'counted once');
    });

    it('throws connector_search_incomplete when maxPages does not reach `since` (outcome still unknown)', async () => {
      const narrow = await startXWorld({ maxPages: 2 });
      try {
        const target = narrow.fake.addMention({ from: narrow.fake.addUser('kim') });
        for (let i = 0; i < 11; i += 1) narrow.fake.state.addPost(narrow.fake.me, `reply ${i}`, target.id);
        const err = await rejectionOf(narrow.connector.findSent(reply({ inReplyToExternalId: target.id }), ago(HOUR)));
        assert.ok(err instanceof AppError && !(err instanceof ConnectorUnavailableError), String(err));
        assert.equal(err.code, 'connector_search_incomplete');
        assert.equal(narrow.fake.requestsTo(POSTS).length, 2);
      } finally {
        await narrow.fake.close();
      }
    });
  });

  describe('DMs', () => {
    it('finds a DM it sent in the conversation with the recipient', async () => {
      const since = new Date();
      const dm = reply({ kind: 'dm', recipientId: jane.id, text: 'Your refund is on its way.' });
      const sent = await w.connector.send(dm);

      assert.deepEqual(await w.connector.findSent(dm, since), sent);
      const [req] = w.fake.requestsTo(CONVERSATION);
      assert.equal(req?.path, `/2/dm_conversations/with/${jane.id}/dm_events`);
      assert.equal(req?.query.event_types, 'MessageCreate');
      assert.match(req?.query['dm_event.fields'] ?? '', /created_at/);
    });

    it('ignores the customer\'s own DM with those words, a DM to someone else, and another text', async () => {
      const bob = w.fake.addUser('bob');
      const since = ago(60_000);
      w.fake.addDm({ from: jane, text: 'Your refund is on its way.' });
      await w.connector.send(reply({ kind: 'dm', recipientId: bob.id, text: 'Your refund is on its way.' }));
      await w.connector.send(reply({ kind: 'dm', recipientId: jane.id, text: 'Something else' }));

      assert.equal(await w.connector.findSent(reply({ kind: 'dm', recipientId: jane.id, text: 'Your refund is on its way.' }), since), null);
      assert.deepEqual(w.fake.requestsTo(CONVERSATION).map((r) => r.path), [`/2/dm_conversations/with/${jane.id}/dm_events`]);
    });

    it('returns null when nothing was sent, and stops paging at the first event older than `since`', async () => {
      for (let i = 0; i < 4; i += 1) w.fake.addDm({ from: jane, text: `old ${i}`, createdAt: ago(3 * HOUR) });
      w.fake.addDm({ from: w.fake.me, to: jane, text: 'Thanks, fixed!', createdAt: ago(2 * HOUR) });
      for (let i = 0; i < 7; i += 1) w.fake.addDm({ from: jane, text: `new ${i}` });

      assert.equal(await w.connector.findSent(reply({ kind: 'dm', recipientId: jane.id }), ago(HOUR)), null);
      assert.equal(w.fake.requestsTo(CONVERSATION).length, 2, 'page 2 reaches an event older than since; no page 3');
      assert.deepEqual((await w.connector.pull(null)).usage?.dmEvents, 10 + 5, 'ten events read by findSent, five by the pull');
    });

    it('respects `since`: finds the earlier DM only when `since` reaches back to it', async () => {
      const old = w.fake.addDm({ from: w.fake.me, to: jane, text: 'Thanks, fixed!', createdAt: ago(2 * HOUR) });
      assert.equal(await w.connector.findSent(reply({ kind: 'dm', recipientId: jane.id }), ago(HOUR)), null);
      assert.deepEqual(await w.connector.findSent(reply({ kind: 'dm', recipientId: jane.id }), ago(3 * HOUR)), {
        externalId: old.id, url: `https://x.com/messages/${old.dm_conversation_id}`, billed: { kind: 'dm_create', id: old.id },
      });
    });
  });

  describe('accepted, but the answer was lost', () => {
    it('connection dropped after X stored the reply: send fails as unavailable, findSent finds the one post', async () => {
      const since = new Date();
      const answer = reply({ inReplyToExternalId: mention.id });
      w.fake.failNext('POST /2/tweets', { status: 'drop', afterAccepting: true });

      const err = await rejectionOf(w.connector.send(answer));
      assert.ok(err instanceof ConnectorUnavailableError, String(err));
      assert.match(err.message, /unreachable: socket hang up/);
      const [stored] = w.fake.createdPosts;
      assert.equal(w.fake.createdPosts.length, 1);

      // the delivery job's retry: look first, send only when nothing is found
      const found = await w.connector.findSent(answer, since);
      // X billed the post although we never heard back: the found result carries its price
      assert.deepEqual(found, { externalId: stored?.id, url: `https://x.com/i/web/status/${stored?.id}`, billed: { kind: 'post_create', id: stored?.id } });
      assert.equal(w.fake.createdPosts.length, 1);
    });

    it('503 after X stored the reply: findSent still finds it', async () => {
      const since = new Date();
      const answer = reply({ inReplyToExternalId: mention.id, text: 'On it' });
      w.fake.failNext('POST /2/tweets', { status: 503, afterAccepting: true });
      const err = await rejectionOf(w.connector.send(answer));
      assert.ok(err instanceof ConnectorUnavailableError, String(err));
      assert.match(err.message, /503/);
      assert.equal((await w.connector.findSent(answer, since))?.externalId, w.fake.createdPosts[0]?.id);
    });

    it('a DM whose answer was lost is found too; one dropped before X got it is not', async () => {
      const since = new Date();
      const lost = reply({ kind: 'dm', recipientId: jane.id, text: 'Refund sent' });
      w.fake.failNext('POST /2/dm_conversations/with/:participant_id/messages', { status: 'drop', afterAccepting: true });
      assert.ok((await rejectionOf(w.connector.send(lost))) instanceof ConnectorUnavailableError);
      assert.equal((await w.connector.findSent(lost, since))?.externalId, w.fake.sentDms[0]?.dmEventId);

      const never = reply({ kind: 'dm', recipientId: jane.id, text: 'Second note' });
      w.fake.failNext('POST /2/dm_conversations/with/:participant_id/messages', { status: 'drop' });
      assert.ok((await rejectionOf(w.connector.send(never))) instanceof ConnectorUnavailableError);
      assert.equal(w.fake.sentDms.length, 1);
      assert.equal(await w.connector.findSent(never, since), null);
    });
  });

  describe('errors', () => {
    it('429 on the timeline becomes ConnectorRateLimitError with the reset', async () => {
      const reset = Math.floor(Date.now() / 1000) + 300;
      w.fake.failNext(POSTS, { status: 429, resetAt: reset });
      const err = await rejectionOf(w.connector.findSent(reply({ inReplyToExternalId: mention.id }), ago(HOUR)));
      assert.ok(err instanceof ConnectorRateLimitError, String(err));
      assert.equal(err.resetAt.getTime(), reset * 1000);
    });

    it('5xx on the DM conversation becomes ConnectorUnavailableError; reads before it are still counted', async () => {
      for (let i = 0; i < 6; i += 1) w.fake.addDm({ from: jane, text: `m${i}` });
      w.fake.failNext(CONVERSATION, { status: 500, after: 1 });
      const err = await rejectionOf(w.connector.findSent(reply({ kind: 'dm', recipientId: jane.id }), ago(HOUR)));
      assert.ok(err instanceof ConnectorUnavailableError, String(err));
      const usage = (await w.connector.pull(null)).usage;
      assert.equal(usage?.dmEvents, 5 + 5, 'first page of findSent plus the pull\'s page');
    });

    it('refuses a reply without its target, a DM without a recipient and an invalid date, before any request', async () => {
      assert.ok((await rejectionOf(w.connector.findSent(reply({}), ago(HOUR)))) instanceof ValidationError);
      assert.ok((await rejectionOf(w.connector.findSent(reply({ kind: 'dm' }), ago(HOUR)))) instanceof ValidationError);
      assert.ok((await rejectionOf(w.connector.findSent(reply({ inReplyToExternalId: mention.id }), new Date('x')))) instanceof ValidationError);
      assert.equal(w.fake.requests.length, 0);
    });
  });
});

describe('X findSent text comparison', () => {
  it('trims, masks links on both sides, and reads X\'s HTML-escaped &, < and >', () => {
    assert.ok(sameText('  Done \n', 'Done'));
    assert.ok(sameText('see www.example.com/a, or example.org', 'see https://t.co/x1, or https://t.co/y2'));
    assert.ok(sameText('Q&A <soon>', 'Q&amp;A &lt;soon&gt;'));
    assert.ok(sameText('literally &amp;', 'literally &amp;'));
    assert.ok(!sameText('Done.', 'Done!'));
    assert.ok(!sameText('see https://a.example', 'see it https://t.co/x1'));
  });
});
