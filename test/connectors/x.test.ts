import assert from 'node:assert/strict';
import { ConnectorAuthError, ConnectorRateLimitError, ConnectorUnavailableError } from '../../src/domain/errors';
import type { Cursor } from '../../src/domain/message';
import type { FakeUser } from '../fakes/x-api';
import { rejectionOf, startXWorld } from './x-setup';
import type { XWorld } from './x-setup';

const MENTIONS = 'GET /2/users/:id/mentions';
const DMS = 'GET /2/dm_events';

describe('X connector: pull (real twitter-api-v2 against the fake X API)', () => {
  let w: XWorld;
  let jane: FakeUser;
  beforeEach(async () => {
    w = await startXWorld();
    jane = w.fake.addUser('jane_doe', 'Jane Doe');
  });
  afterEach(() => w.fake.close());

  it('maps mentions: thread = conversation_id, author handle, links, reply-to', async () => {
    const root = w.fake.addMention({ from: jane, text: '@acme_support my order is late', createdAt: new Date('2026-03-01T10:00:00Z') });
    const ours = w.fake.state.addPost(w.fake.me, '@jane_doe sorry, checking', root.id);
    const followUp = w.fake.addMention({ from: jane, text: '@acme_support any news?', inReplyTo: ours.id });

    const { messages, cursor, usage } = await w.connector.pull(null);

    assert.deepEqual(messages.map((m) => m.externalId), [root.id, followUp.id], 'oldest first');
    assert.deepEqual(messages[0], {
      channel: 'x', account: 'acct-x-1', externalId: root.id, threadKey: root.id, kind: 'mention',
      author: { id: jane.id, handle: '@jane_doe', name: 'Jane Doe', profileUrl: 'https://x.com/jane_doe' },
      text: '@acme_support my order is late', createdAt: new Date('2026-03-01T10:00:00Z'),
      url: `https://x.com/jane_doe/status/${root.id}`, mentionsAccount: true,
    });
    assert.equal(messages[1]?.threadKey, root.id);
    assert.equal(messages[1]?.inReplyToExternalId, ours.id);
    assert.equal(cursor.mentionsSinceId, followUp.id);
    assert.deepEqual(usage, { posts: 2, dmEvents: 0 });
    const [req] = w.fake.requestsTo(MENTIONS);
    assert.equal(req?.auth, 'oauth1');
    assert.equal(req?.query.expansions, 'author_id');
    assert.match(req?.query['tweet.fields'] ?? '', /conversation_id.*created_at.*referenced_tweets/);
  });

  it('honours since_id: nothing is returned twice', async () => {
    w.fake.addMention({ from: jane });
    const first = await w.connector.pull(null);
    const newer = [w.fake.addMention({ from: jane }), w.fake.addMention({ from: jane })];

    const second = await w.connector.pull(first.cursor);
    assert.deepEqual(second.messages.map((m) => m.externalId), [newer[0]?.id, newer[1]?.id]);
    assert.equal(w.fake.requestsTo(MENTIONS)[1]?.query.since_id, first.cursor.mentionsSinceId);

    const third = await w.connector.pull(second.cursor);
    assert.equal(third.messages.length, 0);
    assert.equal(third.cursor.mentionsSinceId, second.cursor.mentionsSinceId);
  });

  it('reads one page on the first run, then pages back to since_id (up to maxPages)', async () => {
    for (let i = 0; i < 12; i += 1) w.fake.addMention({ from: jane, text: `old ${i}` });
    const first = await w.connector.pull(null);
    assert.equal(first.messages.length, 5);
    assert.equal(w.fake.requestsTo(MENTIONS).length, 1);

    for (let i = 0; i < 7; i += 1) w.fake.addMention({ from: jane, text: `new ${i}` });
    const second = await w.connector.pull(first.cursor);
    assert.deepEqual(second.messages.map((m) => m.text).sort(), ['new 0', 'new 1', 'new 2', 'new 3', 'new 4', 'new 5', 'new 6']);
    assert.deepEqual(second.usage, { posts: 7, dmEvents: 0 });
    assert.ok(w.fake.requestsTo(MENTIONS)[2]?.query.pagination_token, 'second page asked with the next_token');
  });

  it('pages DMs back to the stored event, skips its own events and counts every event read', async () => {
    const bob = w.fake.addUser('bob', 'Bob');
    for (let i = 0; i < 3; i += 1) w.fake.addDm({ from: jane, text: `jane ${i}` });
    const ownReply = w.fake.addDm({ from: w.fake.me, to: jane, text: 'we are on it' });
    const first = await w.connector.pull(null);
    assert.deepEqual(first.messages.map((m) => m.text), ['jane 0', 'jane 1', 'jane 2']);
    assert.equal(first.cursor.dmLastEventId, ownReply.id);
    assert.deepEqual(first.usage, { posts: 0, dmEvents: 4 });
    const dm = first.messages[0];
    assert.equal(dm?.kind, 'dm');
    assert.equal(dm?.threadKey, `dm:${ownReply.dm_conversation_id}`);
    assert.deepEqual(dm?.author, { id: jane.id, handle: '@jane_doe', name: 'Jane Doe', profileUrl: 'https://x.com/jane_doe' });

    for (let i = 0; i < 6; i += 1) w.fake.addDm({ from: bob, text: `bob ${i}` });
    const newest = w.fake.addDm({ from: w.fake.me, to: bob, text: 'hello bob' });
    const before = w.fake.requestsTo(DMS).length;
    const second = await w.connector.pull(first.cursor);
    assert.deepEqual(second.messages.map((m) => m.text), ['bob 0', 'bob 1', 'bob 2', 'bob 3', 'bob 4', 'bob 5']);
    assert.equal(second.cursor.dmLastEventId, newest.id);
    // page 1: five new events; page 2: two new, then the stored one and older (billed all the same)
    assert.deepEqual(second.usage, { posts: 0, dmEvents: 10 });
    assert.equal(w.fake.requestsTo(DMS).length - before, 2, 'no third page although X offers one');
  });

  it('a 503 on page 2 throws ConnectorUnavailableError; the old cursor still reads everything', async () => {
    w.fake.addMention({ from: jane });
    const { cursor } = await w.connector.pull(null);
    const kept: Cursor = { ...cursor };
    for (let i = 0; i < 8; i += 1) w.fake.addMention({ from: jane, text: `m${i}` });
    w.fake.failNext(MENTIONS, { status: 503, after: 1 });

    const err = await rejectionOf(w.connector.pull(cursor));
    assert.ok(err instanceof ConnectorUnavailableError, String(err));
    assert.deepEqual(cursor, kept);

    const retry = await w.connector.pull(cursor);
    assert.equal(retry.messages.length, 8);
  });

  it('a DM page failing mid-poll throws too', async () => {
    w.fake.addDm({ from: jane });
    const { cursor } = await w.connector.pull(null);
    for (let i = 0; i < 7; i += 1) w.fake.addDm({ from: jane });
    w.fake.failNext(DMS, { status: 500, after: 1 });
    assert.ok((await rejectionOf(w.connector.pull(cursor))) instanceof ConnectorUnavailableError);
  });

  it('429 becomes ConnectorRateLimitError with resetAt from x-rate-limit-reset', async () => {
    const reset = Math.floor(Date.now() / 1000) + 600;
    w.fake.failNext(MENTIONS, { status: 429, resetAt: reset });
    const err = await rejectionOf(w.connector.pull(null));
    assert.ok(err instanceof ConnectorRateLimitError, String(err));
    assert.equal(err.resetAt.getTime(), reset * 1000);
    assert.equal(err.code, 'connector_rate_limited');
  });

  it('401 becomes ConnectorAuthError', async () => {
    w.fake.failNext(DMS, { status: 401 });
    const err = await rejectionOf(w.connector.pull(null));
    assert.ok(err instanceof ConnectorAuthError, String(err));
  });

  it('an unreachable API becomes ConnectorUnavailableError', async () => {
    await w.fake.close();
    assert.ok((await rejectionOf(w.connector.pull(null))) instanceof ConnectorUnavailableError);
  });
});
