import assert from 'node:assert/strict';
import { pollAccount, type PollDeps } from '../../src/ingest/poll';
import { SpendMeter } from '../../src/ingest/spend';
import { createLogger } from '../../src/runtime/logger';
import { ChannelAccountModel } from '../../src/store/models/channel-account';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { UsageModel } from '../../src/store/models/usage';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import { acquireLease } from '../../src/store/repositories/leases';
import { startXWorld, X_PRICES, type XWorld } from '../connectors/x-setup';
import { testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { afterNextRead } from '../support/interleave';

const KEY = { channel: 'x', account: 'acct-x-1' };
const MENTIONS = 'GET /2/users/:id/mentions';
const DMS = 'GET /2/dm_events';

describe('polling an X account (fake X API, FerretDB)', () => {
  useTestDatabase();
  let world: XWorld;
  let clock: Date;
  const deps = (overrides: Partial<PollDeps> = {}): PollDeps => ({
    pipeline: { router: testRouter() },
    logger: createLogger('silent'),
    owner: 'test-poller',
    leaseMs: 60_000,
    now: () => clock,
    ...overrides,
  });

  beforeEach(async () => {
    await clearCollections();
    clock = new Date();
    world = await startXWorld({ pageSize: 5 });
    await registerAccount(KEY);
  });
  afterEach(() => world.fake.close());

  function customerWrites(n: number, prefix = 'my thermostat is broken') {
    const customer = world.fake.addUser('anna_k', 'Anna K');
    for (let i = 0; i < n; i++) world.fake.addMention({ from: customer, text: `@kestrelhome ${prefix} #${i}` });
    return customer;
  }

  it('stores new mentions and DMs once, however often it polls', async () => {
    const customer = customerWrites(3);
    world.fake.addDm({ from: customer, text: 'hello, I need a quote for 40 units, price?' });
    const first = await pollAccount(world.connector, KEY.account, deps());
    assert.deepEqual([first.outcome, first.stored], ['polled', 4]);
    const again = await pollAccount(world.connector, KEY.account, deps());
    assert.deepEqual([again.outcome, again.stored], ['polled', 0]);
    assert.equal(await MessageModel.countDocuments(), 4);
    const dm = await ConversationModel.findOne({ kind: 'dm' }).lean();
    assert.equal(dm?.department, 'sales');
    const account = await ChannelAccountModel.findOne(KEY).lean();
    assert.ok((account?.cursor as Record<string, string>).mentionsSinceId);
  });

  it('opens a conversation with its oldest message when X lists the newest first: two DMs and a mention with its reply in one poll', async () => {
    const customer = world.fake.addUser('dora_d', 'Dora D');
    const at = new Date(Date.now() - 120_000);
    world.fake.addDm({ from: customer, text: 'hello, I need a quote for 40 units, what is your price?', createdAt: at });
    world.fake.addDm({ from: customer, text: 'hello??', createdAt: new Date(at.getTime() + 60_000) });
    const root = world.fake.addMention({ from: customer, text: '@kestrelhome my thermostat is broken', createdAt: at });
    world.fake.addMention({ from: customer, text: '@kestrelhome still waiting', inReplyTo: root.id, createdAt: new Date(at.getTime() + 60_000) });
    const polled = await pollAccount(world.connector, KEY.account, deps());
    assert.equal(polled.stored, 4);
    for (const kind of ['dm', 'mention'] as const) {
      const c = (await ConversationModel.findOne({ kind }).lean())!;
      assert.equal(c.messageCount, 2);
      assert.deepEqual(c.firstMessageAt, at, `${kind}: it began with the first message`);
      assert.match(c.preview, kind === 'dm' ? /quote for 40 units/ : /thermostat is broken/);
      const first = (await MessageModel.findById(c.firstMessageId).lean())!;
      assert.deepEqual(first.sentAt, at);
      assert.equal(c.lastInbound?.externalId, (await MessageModel.findOne({ conversationId: c._id }).sort({ sentAt: -1 }).lean())?.externalId, 'a reply answers the latest');
    }
    assert.equal((await ConversationModel.findOne({ kind: 'dm' }).lean())?.department, 'sales', 'routed on what the first DM asks');
  });

  it('leaves the cursor where it was when a page fails mid-poll, and loses nothing', async () => {
    customerWrites(3);
    await pollAccount(world.connector, KEY.account, deps());
    const before = (await ChannelAccountModel.findOne(KEY).lean())?.cursor;
    customerWrites(12, 'still broken');
    world.fake.failNext(MENTIONS, { status: 503, after: 1 });
    const failed = await pollAccount(world.connector, KEY.account, deps());
    assert.deepEqual(failed.timelines, { mentions: 'unavailable', dms: 'polled' });
    assert.deepEqual((await ChannelAccountModel.findOne(KEY).lean())?.cursor, before);
    const retried = await pollAccount(world.connector, KEY.account, deps());
    assert.equal(retried.outcome, 'polled');
    assert.equal(await MessageModel.countDocuments(), 15);
  });

  it('waits for the reset a 429 names, then resumes with nothing lost', async () => {
    customerWrites(2);
    const resetAt = Math.floor(clock.getTime() / 1000) + 900;
    world.fake.failNext(MENTIONS, { status: 429, resetAt });
    const limited = await pollAccount(world.connector, KEY.account, deps());
    assert.equal(limited.timelines.mentions, 'rate_limited');
    const paused = (await ChannelAccountModel.findOne(KEY).lean())?.timelines as Record<string, { pausedUntil?: Date; pauseReason?: string }>;
    assert.equal(paused.mentions?.pausedUntil?.getTime(), resetAt * 1000);
    assert.match(paused.mentions?.pauseReason ?? '', /rate limited until/);

    const calls = world.fake.requestsTo(MENTIONS).length;
    const early = await pollAccount(world.connector, KEY.account, deps());
    assert.equal(early.timelines.mentions, 'rate_limited');
    assert.equal(world.fake.requestsTo(MENTIONS).length, calls, 'no request before the reset');

    clock = new Date(resetAt * 1000 + 1000);
    const resumed = await pollAccount(world.connector, KEY.account, deps());
    assert.deepEqual([resumed.outcome, resumed.stored], ['polled', 2]);
  });

  it('marks the account failing on 401 and stops polling it until the credentials change', async () => {
    customerWrites(1);
    // refused credentials are refused by every endpoint
    world.fake.failNext(MENTIONS, { status: 401 });
    world.fake.failNext(DMS, { status: 401 });
    const refused = await pollAccount(world.connector, KEY.account, deps());
    assert.equal(refused.outcome, 'failing');
    const account = await ChannelAccountModel.findOne(KEY).lean();
    assert.equal(account?.status, 'failing');
    assert.match(account?.statusReason ?? '', /./);
    const calls = world.fake.requests.length;
    assert.equal((await pollAccount(world.connector, KEY.account, deps())).outcome, 'failing');
    assert.equal(world.fake.requests.length, calls);

    await registerAccount(KEY, 'new-credentials');
    assert.equal((await pollAccount(world.connector, KEY.account, deps())).outcome, 'polled');
  });

  it('a process still on replaced credentials (a rolling restart) leaves the account to the one that registered new ones', async () => {
    customerWrites(2);
    await registerAccount(KEY, 'old-credentials');
    // the restarted process registers the new credentials; X now refuses the old ones
    await registerAccount(KEY, 'new-credentials');
    world.fake.failNext(MENTIONS, { status: 401 });
    world.fake.failNext(DMS, { status: 401 });
    const calls = world.fake.requests.length;
    const old = await pollAccount(world.connector, KEY.account, deps({ owner: 'old-process' }), 'old-credentials');
    assert.equal(old.outcome, 'superseded');
    assert.equal(world.fake.requests.length, calls, 'the old process calls X with nothing');
    assert.equal((await ChannelAccountModel.findOne(KEY).lean())?.status, 'active', 'and marks nothing failing');
    world.fake.clearFailures();
    const fresh = await pollAccount(world.connector, KEY.account, deps({ owner: 'new-process' }), 'new-credentials');
    assert.equal(fresh.stored, 2, 'the new process polls it');
  });

  it('a poller that read the account just before another polled it starts from where that one left off', async () => {
    customerWrites(3);
    let other: Awaited<ReturnType<typeof pollAccount>> | undefined;
    // the other process takes the lease, polls and lets go between this poller's first read and its lease
    const restore = afterNextRead(ChannelAccountModel, async () => {
      other = await pollAccount(world.connector, KEY.account, deps({ owner: 'process-b' }));
    });
    let late;
    try {
      late = await pollAccount(world.connector, KEY.account, deps({ owner: 'process-a' }));
    } finally {
      restore();
    }
    assert.deepEqual([other?.outcome, other?.stored], ['polled', 3]);
    assert.deepEqual([late.outcome, late.stored, late.duplicates], ['polled', 0, 0], 'nothing read twice');
  });

  it('polls once when two pollers start together', async () => {
    customerWrites(3);
    world.fake.latencyMs = 200;
    const results = await Promise.all([
      pollAccount(world.connector, KEY.account, deps({ owner: 'process-a' })),
      pollAccount(world.connector, KEY.account, deps({ owner: 'process-b' })),
    ]);
    assert.deepEqual(results.map((r) => r.outcome).sort(), ['busy', 'polled']);
    assert.equal(world.fake.requestsTo(MENTIONS).length, 1);
    assert.equal(await MessageModel.countDocuments(), 3);
  });

  it("takes over a dead poller's lease after one lifetime, and never a live one's while it polls", async () => {
    const LEASE_MS = 1000;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    customerWrites(2);
    // a poller killed mid-poll (kill -9) leaves its lease and never renews it
    assert.equal(await acquireLease(`poll:${KEY.channel}:${KEY.account}`, 'dead-process', LEASE_MS, clock), true);
    assert.equal((await pollAccount(world.connector, KEY.account, deps({ owner: 'process-b', leaseMs: LEASE_MS }))).outcome, 'busy');
    await sleep(LEASE_MS + 100);
    // a live poll slower than the lifetime (two timelines at 1.2 s each) renews its lease: nobody polls beside it
    world.fake.latencyMs = 1200;
    clock = new Date();
    const slow = pollAccount(world.connector, KEY.account, deps({ owner: 'process-a', leaseMs: LEASE_MS }));
    await sleep(LEASE_MS * 1.6);
    clock = new Date();
    assert.equal((await pollAccount(world.connector, KEY.account, deps({ owner: 'process-b', leaseMs: LEASE_MS }))).outcome, 'busy');
    assert.equal((await slow).outcome, 'polled');
    assert.equal(world.fake.requestsTo(MENTIONS).length, 1);
    assert.equal(await MessageModel.countDocuments(), 2);
  });

  it('counts reads per month and pauses polling at the monthly budget', async () => {
    customerWrites(4);
    const spend = new SpendMeter({ prices: { ...X_PRICES, owned_post_read: 0.5 }, monthlyBudgetUsd: 2, logger: createLogger('silent') });
    const first = await pollAccount(world.connector, KEY.account, deps({ spend }));
    assert.equal(first.outcome, 'polled');
    const usage = await UsageModel.findOne(KEY).lean();
    assert.deepEqual([usage?.month, usage?.ownedPosts, usage?.usd], [clock.toISOString().slice(0, 7), 4, 2]);
    const account = await ChannelAccountModel.findOne(KEY).lean();
    assert.equal(account?.status, 'over_budget');
    assert.match(account?.statusReason ?? '', /2\.00 of 2\.00 USD/);
    assert.equal(world.fake.requestsTo(DMS).length, 0, 'the budget was reached after mentions: DMs wait too');
    const calls = world.fake.requests.length;
    assert.equal((await pollAccount(world.connector, KEY.account, deps({ spend }))).outcome, 'over_budget');
    assert.equal(world.fake.requests.length, calls);

    clock = new Date(Date.UTC(clock.getUTCFullYear(), clock.getUTCMonth() + 1, 2));
    assert.equal((await pollAccount(world.connector, KEY.account, deps({ spend }))).outcome, 'polled');
  });
});
