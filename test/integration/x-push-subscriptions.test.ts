import assert from 'node:assert/strict';
import { ensureSubscriptions } from '../../connectors/x/push-subscriptions';
import { createLogger } from '../../src/runtime/logger';
import { subscribeXAccounts } from '../../src/runtime/x-push';
import { acquireLease } from '../../src/store/repositories/leases';
import { startFakeXApi, type FakeXApi } from '../fakes/x-api';
import { clearCollections, useTestDatabase } from '../support/database';

const ROUTE_LIST = 'GET /2/activity/subscriptions';
const ROUTE_CREATE = 'POST /2/activity/subscriptions';
const WEBHOOK = '1146654567674912769';

describe('X Activity API subscriptions per account (fake X API)', () => {
  let fake: FakeXApi;
  const account = () => ({ accountId: 'kestrel', userId: fake.me.id, oauth2UserToken: 'kestrel-user-token' });
  const options = () => ({ apiBaseUrl: fake.url, webhookId: WEBHOOK, timeoutMs: 2000 });
  beforeEach(async () => {
    fake = await startFakeXApi();
    fake.state.activity.grantToken('kestrel-user-token', fake.me.id);
  });
  afterEach(() => fake.close());

  it('creates the mention and DM subscriptions with the account\'s own token, then finds them next time', async () => {
    const first = await ensureSubscriptions(account(), options());
    assert.deepEqual([first.state, first.events], ['subscribed', { 'post.mention.create': 'created', 'dm.received': 'created' }]);
    assert.deepEqual(
      fake.state.activity.subscriptions.map((s) => [s.event_type, s.filter.user_id, s.webhook_id]),
      [['post.mention.create', fake.me.id, WEBHOOK], ['dm.received', fake.me.id, WEBHOOK]],
    );
    assert.ok(fake.requestsTo(ROUTE_CREATE).every((r) => r.auth === 'bearer'));
    const second = await ensureSubscriptions(account(), options());
    assert.deepEqual([second.state, second.events], ['subscribed', { 'post.mention.create': 'existing', 'dm.received': 'existing' }]);
    assert.equal(fake.requestsTo(ROUTE_CREATE).length, 2, 'nothing created twice');
  });

  it('reports no_token and asks X nothing for an account without an OAuth 2.0 user token', async () => {
    const report = await ensureSubscriptions({ accountId: 'kestrel', userId: fake.me.id }, options());
    assert.equal(report.state, 'no_token');
    assert.equal(fake.requests.length, 0);
  });

  it('reports partial when the token lacks dm.read: the mention subscription stands', async () => {
    fake.state.activity.grantToken('kestrel-user-token', fake.me.id, ['tweet.read']);
    const report = await ensureSubscriptions(account(), options());
    assert.deepEqual([report.state, report.events], ['partial', { 'post.mention.create': 'created', 'dm.received': 'failed' }]);
    assert.match(report.error ?? '', /dm\.received: .*dm\.read/);
  });

  it('reports failed with X\'s reason for a refused token, an outage and a dropped answer, creating nothing', async () => {
    const refused = await ensureSubscriptions({ ...account(), oauth2UserToken: 'revoked' }, options());
    assert.equal(refused.state, 'failed');
    assert.match(refused.error ?? '', /refused the credentials \(401\)/);
    fake.failNext(ROUTE_LIST, { status: 503 });
    assert.match((await ensureSubscriptions(account(), options())).error ?? '', /unavailable \(503\)/);
    fake.failNext(ROUTE_LIST, { status: 'drop' });
    assert.match((await ensureSubscriptions(account(), options())).error ?? '', /unreachable/);
    assert.equal(fake.state.activity.subscriptions.length, 0);
  });

  it('creates on the next run what a failed create left out', async () => {
    fake.failNext(ROUTE_CREATE, { status: 429, after: 1 });
    const first = await ensureSubscriptions(account(), options());
    assert.deepEqual([first.state, first.events], ['partial', { 'post.mention.create': 'created', 'dm.received': 'failed' }]);
    assert.match(first.error ?? '', /rate limit/);
    const second = await ensureSubscriptions(account(), options());
    assert.deepEqual([second.state, second.events], ['subscribed', { 'post.mention.create': 'existing', 'dm.received': 'created' }]);
  });
});

describe('X Activity API subscriptions at start, processes together (FerretDB, fake X API)', () => {
  useTestDatabase();
  let fake: FakeXApi;
  const setup = () => ({
    apiBaseUrl: fake.url,
    accounts: [{ id: 'kestrel', userId: fake.me.id, oauth2UserToken: 'kestrel-user-token' }],
    webhook: { path: '/webhooks/x', consumerSecret: 'secret', webhookId: WEBHOOK },
  });
  beforeEach(async () => {
    await clearCollections();
    fake = await startFakeXApi();
    fake.state.activity.grantToken('kestrel-user-token', fake.me.id);
  });
  afterEach(() => fake.close());

  it('three processes starting at once create each subscription once, and each reports it subscribed', async () => {
    const reports = await Promise.all(['a', 'b', 'c'].map((owner) => subscribeXAccounts(setup(), createLogger('silent'), `host:${owner}`)));
    assert.deepEqual(reports.map((r) => r[0]?.state), ['subscribed', 'subscribed', 'subscribed']);
    assert.deepEqual(fake.state.activity.subscriptions.map((s) => s.event_type), ['post.mention.create', 'dm.received']);
  });

  it('waits out the lease of a process that died while checking, then creates them', async () => {
    assert.ok(await acquireLease('x-push:kestrel', 'host:dead', 1_500));
    const started = subscribeXAccounts(setup(), createLogger('silent'), 'host:alive', 1_500);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(fake.requests.length, 0, 'nothing asked of X while the lease lives');
    const [report] = await started;
    assert.equal(report?.state, 'subscribed');
    assert.equal(fake.requestsTo(ROUTE_CREATE).length, 2);
  });
});
