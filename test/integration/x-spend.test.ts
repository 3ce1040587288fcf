import assert from 'node:assert/strict';
import { webApi } from '@slack/bolt';
import { pollAccount, type PollDeps } from '../../src/ingest/poll';
import { meteredConnector, SpendMeter, type BudgetWarning, type SpendOptions } from '../../src/ingest/spend';
import { deliverReply } from '../../src/outbound/deliver';
import { recordAgentMessage } from '../../src/outbound/queue';
import { createLogger } from '../../src/runtime/logger';
import { slackBudgetWarning } from '../../src/slack/budget-alerts';
import { DepartmentDirectory } from '../../src/slack/directory';
import { SlackNotifier } from '../../src/slack/notify';
import { BilledResourceModel } from '../../src/store/models/billed-resource';
import { ChannelAccountModel } from '../../src/store/models/channel-account';
import { ConversationModel } from '../../src/store/models/conversation';
import { UsageDayModel, UsageModel } from '../../src/store/models/usage';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import { startXWorld, X_PRICES, type XWorld } from '../connectors/x-setup';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api';
import { testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';

const KEY = { channel: 'x', account: 'acct-x-1' };
const DMS = 'GET /2/dm_events';
const logger = createLogger('silent');

describe('X spend meter: what X bills (fake X API, FerretDB)', () => {
  useTestDatabase();
  let world: XWorld;
  let clock: Date;
  let warnings: BudgetWarning[];
  let slackApi: FakeSlackApi;
  before(async () => {
    slackApi = await startFakeSlackApi();
  });
  after(() => slackApi.close());
  const meter = (options: Partial<SpendOptions> = {}) =>
    new SpendMeter({ prices: X_PRICES, logger, onWarning: (w) => Promise.resolve(void warnings.push(w)), ...options });
  const deps = (spend: SpendMeter): PollDeps => ({ pipeline: { router: testRouter() }, logger, owner: 'test-poller', leaseMs: 60_000, spend, now: () => clock });
  const month = () => UsageModel.findOne(KEY).lean();
  const near = (actual: number | undefined, expected: number) => assert.ok(Math.abs((actual ?? NaN) - expected) < 1e-9, `${actual} ≠ ${expected}`);

  beforeEach(async () => {
    await clearCollections();
    clock = new Date('2026-12-01T10:00:00Z');
    warnings = [];
    world = await startXWorld({ pageSize: 20 });
    await registerAccount(KEY);
  });
  afterEach(() => world.fake.close());

  it('bills a DM event read on two polls of one UTC day once, and again on the next day', async () => {
    const anna = world.fake.addUser('anna_k');
    for (let i = 0; i < 3; i += 1) world.fake.addDm({ from: anna, text: `question ${i}` });
    world.fake.addMention({ from: anna });
    const spend = meter();
    await pollAccount(world.connector, KEY.account, deps(spend));
    clock = new Date('2026-12-01T18:00:00Z');
    await pollAccount(world.connector, KEY.account, deps(spend));
    assert.equal(world.fake.requestsTo(DMS).length, 2, 'X returned the same three events on both polls');
    const sameDay = await month();
    assert.deepEqual([sameDay?.dmEvents, sameDay?.ownedPosts], [3, 1]);
    near(sameDay?.usd, 3 * 0.01 + 0.001);

    clock = new Date('2026-12-02T00:30:00Z');
    await pollAccount(world.connector, KEY.account, deps(spend));
    const nextDay = await month();
    assert.equal(nextDay?.dmEvents, 6);
    near(nextDay?.usd, 6 * 0.01 + 0.001);
    const days = await UsageDayModel.find(KEY).sort({ day: 1 }).lean();
    assert.deepEqual(days.map((d) => [d.day, d.dmEvents]), [['2026-12-01', 3], ['2026-12-02', 3]]);
    assert.deepEqual(await BilledResourceModel.distinct('day'), ['2026-12-02'], 'the ids of past days are forgotten');
  });

  it('counts a reply, a reply with a link and a DM at their prices', async () => {
    const anna = world.fake.addUser('anna_k');
    world.fake.addMention({ from: anna, text: '@acme_support where is my order?' });
    world.fake.addDm({ from: anna, text: 'my address changed' });
    const spend = meter();
    await pollAccount(world.connector, KEY.account, deps(spend));
    const before = (await month())?.usd ?? 0;
    const metered = meteredConnector(world.connector, KEY.account, spend, logger, () => clock);
    const delivery = { connectorFor: () => metered, maxAttempts: 3, retryBaseMs: 1000, owner: 'test-worker', now: () => clock };
    const mention = await ConversationModel.findOne({ kind: 'mention' }).lean();
    const dm = await ConversationModel.findOne({ kind: 'dm' }).lean();
    const texts: [typeof mention, string][] = [[mention, 'On its way!'], [mention, 'Track it at https://shop.example.com/t/1'], [dm, 'Noted, thanks']];
    for (const [i, [conversation, text]] of texts.entries()) {
      if (!conversation) throw new Error('the poll stored no conversation');
      const queued = await recordAgentMessage({ conversation, text, externalId: `slack:C0SUPPORT:1.${i}`, author: { id: 'U1', name: 'anna' }, note: false, slack: { channel: 'C0SUPPORT', ts: `1.${i}`, userId: 'U1' } });
      assert.equal((await deliverReply(queued?.id ?? '', delivery)).state, 'sent');
    }
    assert.deepEqual([world.fake.createdPosts.length, world.fake.sentDms.length], [2, 1]);
    const usage = await month();
    assert.deepEqual([usage?.postsCreated, usage?.postsWithUrlCreated, usage?.dmsCreated], [1, 1, 1]);
    near((usage?.usd ?? 0) - before, 0.015 + 0.2 + 0.015);
  });

  it('a write that reaches the budget pauses the next poll before it asks X anything', async () => {
    const anna = world.fake.addUser('anna_k');
    world.fake.addMention({ from: anna, text: '@acme_support where is my order?' });
    const spend = meter({ monthlyBudgetUsd: 0.2 });
    await pollAccount(world.connector, KEY.account, deps(spend));
    const conversation = await ConversationModel.findOne({ kind: 'mention' }).lean();
    if (!conversation) throw new Error('the poll stored no conversation');
    const queued = await recordAgentMessage({ conversation, text: 'See https://shop.example.com/t/1', externalId: 'slack:C0SUPPORT:1.1', author: { id: 'U1', name: 'anna' }, note: false, slack: { channel: 'C0SUPPORT', ts: '1.1', userId: 'U1' } });
    const metered = meteredConnector(world.connector, KEY.account, spend, logger, () => clock);
    await deliverReply(queued?.id ?? '', { connectorFor: () => metered, maxAttempts: 3, retryBaseMs: 1000, owner: 'test-worker', now: () => clock });
    const calls = world.fake.requests.length;
    assert.equal((await pollAccount(world.connector, KEY.account, deps(spend))).outcome, 'over_budget');
    assert.equal(world.fake.requests.length, calls);
    assert.match((await ChannelAccountModel.findOne(KEY).lean())?.statusReason ?? '', /0\.20 of 0\.20 USD/);
  });

  it('warns once at 80% of the budget (log and the managers\' Slack channel), then pauses polling when the budget is reached', async () => {
    const anna = world.fake.addUser('anna_k');
    slackApi.addChannel('C0MANAGERS', 'managers');
    const client = new webApi.WebClient(slackApi.identity.token, { slackApiUrl: slackApi.apiUrl, retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    const toSlack = slackBudgetWarning(new SlackNotifier(client, new DepartmentDirectory([])), 'C0MANAGERS');
    const spend = meter({ monthlyBudgetUsd: 0.1, onWarning: async (w) => { warnings.push(w); await toSlack(w); } });
    for (let i = 0; i < 8; i += 1) world.fake.addDm({ from: anna, text: `dm ${i}` });
    await pollAccount(world.connector, KEY.account, deps(spend));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]?.text ?? '', /0\.08 of 0\.10 USD in 2026-12 \(80%\)/);
    world.fake.addDm({ from: anna });
    await pollAccount(world.connector, KEY.account, deps(spend));
    assert.equal(warnings.length, 1, 'once a month');
    assert.deepEqual(slackApi.messages('C0MANAGERS').map((m) => m.text), [`:money_with_wings: ${warnings[0]?.text ?? ''}`]);
    assert.equal((await ChannelAccountModel.findOne(KEY).lean())?.status, 'active');

    world.fake.addDm({ from: anna });
    await pollAccount(world.connector, KEY.account, deps(spend));
    const account = await ChannelAccountModel.findOne(KEY).lean();
    assert.equal(account?.status, 'over_budget');
    assert.match(account?.statusReason ?? '', /0\.10 of 0\.10 USD/);
    const calls = world.fake.requests.length;
    world.fake.addDm({ from: anna });
    assert.equal((await pollAccount(world.connector, KEY.account, deps(spend))).outcome, 'over_budget');
    assert.equal(world.fake.requests.length, calls, 'no request past the budget');
  });
});
