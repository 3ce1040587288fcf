import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { pollAccount, type PollDeps } from '../../src/ingest/poll';
import { SpendMeter } from '../../src/ingest/spend';
import { createLogger } from '../../src/runtime/logger';
import { ChannelAccountModel } from '../../src/store/models/channel-account';
import { MessageModel } from '../../src/store/models/message';
import { registerAccount, saveTimeline } from '../../src/store/repositories/channel-accounts';
import { startXWorld, X_PRICES, type XWorld } from '../connectors/x-setup';
import { bearer, testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { afterNextRead } from '../support/interleave';

const KEY = { channel: 'x', account: 'acct-x-1' };
const MENTIONS = 'GET /2/users/:id/mentions';
const DMS = 'GET /2/dm_events';

/** Mentions and DMs polled on their own: cursors that stay valid whatever X answers, failures that stay in their timeline. */
describe('X timelines: cursors and independent failures (fake X API, FerretDB)', () => {
  useTestDatabase();
  let world: XWorld;
  let routed: string[];
  const spend = new SpendMeter({ prices: X_PRICES, monthlyBudgetUsd: 50, logger: createLogger('silent') });
  const deps = (): PollDeps => ({
    // the outbox hears of each new conversation once, as src/runtime/start.ts wires it
    pipeline: { router: testRouter(), onNewConversation: ({ conversationId }) => Promise.resolve(void routed.push(String(conversationId))) },
    logger: createLogger('silent'),
    owner: 'test-poller',
    leaseMs: 60_000,
    spend,
  });
  const poll = () => pollAccount(world.connector, KEY.account, deps());
  const mentionRequests = () => world.fake.requestsTo(MENTIONS).map((r) => r.query);

  beforeEach(async () => {
    await clearCollections();
    routed = [];
    world = await startXWorld({ pageSize: 5 });
    await registerAccount(KEY);
  });
  afterEach(() => world.fake.close());

  it('an account whose first poll is empty gets its later mentions stored and carded once', async () => {
    assert.deepEqual([(await poll()).outcome, routed.length], ['polled', 0]);
    assert.deepEqual((await ChannelAccountModel.findOne(KEY).lean())?.cursor, {}, 'no null, no undefined in the cursor');
    const anna = world.fake.addUser('anna_k');
    const first = world.fake.addMention({ from: anna, text: '@acme_support my thermostat is broken' });
    world.fake.addMention({ from: anna, text: '@acme_support still broken', inReplyTo: first.id });
    world.fake.addMention({ from: world.fake.addUser('ben'), text: '@acme_support what is the price?' });
    assert.equal((await poll()).stored, 3);
    assert.equal((await poll()).stored, 0);
    assert.equal(await MessageModel.countDocuments(), 3);
    assert.equal(routed.length, 2, 'two conversations, one card each');
    assert.equal(new Set(routed).size, 2);
    assert.deepEqual(mentionRequests().map((q) => q.since_id), [undefined, undefined, world.fake.state.mentionsOf(world.fake.me.id)[0]?.id]);
  });

  it('repairs a null cursor left in the database: no since_id=null, and mentions flow again', async () => {
    await ChannelAccountModel.collection.updateOne(KEY, { $set: { cursor: { mentionsSinceId: null, dmLastEventId: null } } });
    world.fake.addMention({ from: world.fake.addUser('anna_k') });
    const result = await poll();
    assert.deepEqual([result.outcome, result.stored], ['polled', 1]);
    assert.ok(mentionRequests().every((q) => q.since_id === undefined), JSON.stringify(mentionRequests()));
    const cursor = (await ChannelAccountModel.findOne(KEY).lean())?.cursor as Record<string, unknown>;
    assert.match(String(cursor.mentionsSinceId), /^\d{1,19}$/);
    assert.equal('dmLastEventId' in cursor, false);
  });

  it('stores the posts of a page whose meta is absent, and reads on from the highest id', async () => {
    const anna = world.fake.addUser('anna_k');
    world.fake.addMention({ from: anna, text: 'first' });
    await poll();
    const newer = [world.fake.addMention({ from: anna, text: 'second' }), world.fake.addMention({ from: anna, text: 'third' })];
    world.fake.reshapeNext(MENTIONS, 'no-meta');
    assert.equal((await poll()).stored, 2);
    world.fake.addMention({ from: anna, text: 'fourth' });
    assert.equal((await poll()).stored, 1);
    assert.equal(mentionRequests().at(-1)?.since_id, newer[1]?.id);
  });

  it('DM endpoint 403: mentions keep flowing, and /api/channels shows the DM timeline\'s error', async () => {
    const anna = world.fake.addUser('anna_k');
    world.fake.addDm({ from: anna, text: 'a private question' });
    world.fake.failNext(DMS, { status: 403, times: Infinity, type: 'https://api.x.com/2/problems/oauth1-permissions', detail: 'Your app may not read Direct Messages' });
    world.fake.addMention({ from: anna, text: '@acme_support hello' });
    const first = await poll();
    assert.deepEqual([first.outcome, first.stored, first.timelines], ['polled', 1, { mentions: 'polled', dms: 'failing' }]);
    world.fake.addMention({ from: anna, text: '@acme_support are you there?' });
    const dmCalls = world.fake.requestsTo(DMS).length;
    assert.equal((await poll()).stored, 1);
    assert.equal(world.fake.requestsTo(DMS).length, dmCalls, 'a refused timeline waits for new credentials');

    const app = createApp({ logger: createLogger('silent'), pipeline: { router: testRouter() }, ingest: { maxBytes: 65536, maxBatch: 50 }, channels: { spend } });
    await request(app).get('/api/channels').set('Authorization', await bearer('agent')).expect(403);
    const res = await request(app).get('/api/channels').set('Authorization', await bearer('manager')).expect(200);
    const [account] = res.body.data as { account: string; status: string; timelines: Record<string, unknown>[]; spend: Record<string, unknown> }[];
    assert.deepEqual([account?.account, account?.status], [KEY.account, 'active']);
    const [mentions, dms] = account?.timelines ?? [];
    assert.deepEqual([mentions?.name, mentions?.status, mentions?.lastError], ['mentions', 'active', null]);
    assert.ok(mentions?.lastSuccessAt);
    assert.deepEqual([dms?.name, dms?.status, dms?.lastSuccessAt], ['dms', 'failing', null]);
    assert.match(String(dms?.lastError), /Your app may not read Direct Messages/);
    assert.match(String(dms?.pauseReason), /until the credentials change/);
    assert.deepEqual([account?.spend.spentUsd, account?.spend.budgetUsd], [0.002, 50], 'two mentions at $0.001 (owned reads)');

    await registerAccount(KEY, 'credentials-with-dm-permission');
    world.fake.clearFailures();
    assert.deepEqual((await poll()).timelines, { mentions: 'polled', dms: 'polled' });
    assert.equal(await MessageModel.countDocuments({ kind: 'dm' }), 1);
  });

  it('new credentials lift a failing timeline without undoing a rate-limit pause another process saved meanwhile', async () => {
    await registerAccount(KEY, 'old-credentials');
    await saveTimeline(KEY, 'dms', { status: 'failing', pauseReason: 'refused until the credentials change' });
    const resetAt = new Date(Date.now() + 15 * 60_000);
    // a poll in another process is rate-limited on mentions after the registration read the account
    const restore = afterNextRead(ChannelAccountModel, () => saveTimeline(KEY, 'mentions', { status: 'active', pausedUntil: resetAt, pauseReason: 'rate limited' }));
    try {
      await registerAccount(KEY, 'new-credentials');
    } finally {
      restore();
    }
    const timelines = (await ChannelAccountModel.findOne(KEY).lean())?.timelines as unknown as Record<string, { status?: string; pausedUntil?: Date; pauseReason?: string }>;
    assert.deepEqual([timelines.dms?.status, timelines.dms?.pauseReason], ['active', undefined], 'the refused timeline is lifted');
    assert.equal(timelines.mentions?.pausedUntil?.getTime(), resetAt.getTime(), 'the pause stays');
  });

  it('a DM error does not throw away the mentions read in the same poll', async () => {
    const anna = world.fake.addUser('anna_k');
    world.fake.addMention({ from: anna });
    world.fake.failNext(DMS, { status: 503 });
    const result = await poll();
    assert.deepEqual([result.stored, result.timelines], [1, { mentions: 'polled', dms: 'unavailable' }]);
    const account = await ChannelAccountModel.findOne(KEY).lean();
    assert.match(String((account?.timelines as Record<string, { lastError?: string }>).dms?.lastError), /503/);
  });
});
