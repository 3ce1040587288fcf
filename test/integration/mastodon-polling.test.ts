import assert from 'node:assert/strict';
import { createMastodonConnector } from '../../connectors/mastodon';
import { ingestBatch } from '../../src/ingest/pipeline';
import { pollAccount, type PollDeps } from '../../src/ingest/poll';
import { createLogger } from '../../src/runtime/logger';
import { ChannelAccountModel } from '../../src/store/models/channel-account';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import type { FakeAccount } from '../fakes/mastodon-api';
import { startMastodonWorld, type MastodonWorld } from '../connectors/mastodon-setup';
import { clearCollections, useTestDatabase } from '../support/database';
import { agentReplies } from '../support/slack-scenes';
import { startSlackWorld, type SlackWorld } from '../support/slack-world';

const KEY = { channel: 'mastodon', account: 'kestrel-social' };
const NOTIFICATIONS = 'GET /api/v1/notifications';
const CONTEXT = 'GET /api/v1/statuses/:id/context';
const POST = 'POST /api/v1/statuses';

type Timelines = Record<string, { pausedUntil?: Date; lastError?: string; status?: string }>;

describe('Mastodon through the app: poll, route, Slack card, reply out once (fake instance, fake Slack, FerretDB)', () => {
  useTestDatabase();
  let m: MastodonWorld;
  let w: SlackWorld;
  let anna: FakeAccount;
  let clock: Date;
  const deps = (): PollDeps => ({ pipeline: w.pipeline, logger: createLogger('silent'), owner: 'test-poller', leaseMs: 60_000, now: () => clock });
  const poll = (connector = m.connector) => pollAccount(connector, KEY.account, deps());
  const timelines = async () => (await ChannelAccountModel.findOne(KEY).lean())?.timelines as Timelines;

  beforeEach(async () => {
    await clearCollections();
    clock = new Date();
    m = await startMastodonWorld();
    w = await startSlackWorld({ connectorFor: (channel, account) => (channel === KEY.channel && account === KEY.account ? m.connector : undefined) });
    anna = m.fake.addAccount('anna', 'Anna K', 'social.example');
    await registerAccount(KEY);
  });
  afterEach(async () => {
    await w.close();
    await m.fake.close();
  });

  async function cardFor(statusId: string) {
    const message = await MessageModel.findOne({ channel: 'mastodon', externalId: statusId }).lean();
    const conversation = (await ConversationModel.findById(message?.conversationId).lean())!;
    const channel = conversation.slack?.channel ?? '';
    return { conversation, channel, card: w.slackApi.messages(channel)[0]! };
  }

  it('a mention becomes a conversation and a card; the agent\'s answer goes out once, unlisted like hers, addressed to her', async () => {
    const status = m.fake.mention(anna, '@kestrelhome my thermostat is broken', { visibility: 'unlisted' });
    assert.deepEqual([(await poll()).stored, (await w.runJobs()).length], [1, 0]);
    const { conversation, channel, card } = await cardFor(status.id);
    assert.deepEqual([conversation.kind, conversation.department, conversation.threadKey], ['mention', 'support', status.id]);
    assert.match(JSON.stringify(card.blocks), /\*Mastodon mention\* from <https:\/\/social\.example\/@anna\|Anna K/);

    await agentReplies(w, card, channel, 'Sorry about that, a technician calls you today.');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    const [posted, ...more] = m.fake.posted();
    assert.equal(more.length, 0);
    assert.deepEqual([posted?.visibility, posted?.in_reply_to_id, posted?.source], ['unlisted', status.id, '@anna@social.example Sorry about that, a technician calls you today.']);
    const reply = await MessageModel.findOne({ direction: 'outbound' }).lean();
    assert.deepEqual([reply?.delivery?.state, reply?.delivery?.sentExternalId], ['sent', posted?.id]);
    assert.ok((await ConversationModel.findById(conversation._id).lean())?.firstResponseAt, 'the SLA clock heard the answer');

    // the delivery job runs again (a twin, the sweep): nothing more is posted
    w.jobs.push({ kind: 'deliver', id: String(reply?._id) });
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['done']);
    assert.equal(m.fake.posted().length, 1);

    // her answer to our reply joins the same conversation
    m.fake.mention(anna, '@kestrelhome thanks!', { inReplyTo: posted?.id, visibility: 'unlisted' });
    assert.equal((await poll()).stored, 1);
    assert.equal(await ConversationModel.countDocuments(), 1);
  });

  it('a direct status is a DM conversation, answered with a direct status', async () => {
    const dm = m.fake.mention(anna, '@kestrelhome I need a quote for 40 units, price?', { visibility: 'direct' });
    await poll();
    await w.runJobs();
    const { conversation, channel, card } = await cardFor(dm.id);
    assert.equal(conversation.kind, 'dm');
    await agentReplies(w, card, channel, 'Sending you our offer now.');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(m.fake.posted().map((s) => [s.visibility, s.in_reply_to_id]), [['direct', dm.id]]);
  });

  it('a send whose answer was lost is retried with the same Idempotency-Key and posted once', async () => {
    const status = m.fake.mention(anna, '@kestrelhome my thermostat is broken');
    await poll();
    await w.runJobs();
    const { channel, card } = await cardFor(status.id);
    m.fake.failNext(POST, { status: 'drop', afterAccepting: true });
    await agentReplies(w, card, channel, 'We are on it');
    const [first] = await w.runJobs();
    assert.equal(first?.state, 'retry');
    const reply = await MessageModel.findOne({ direction: 'outbound' }).lean();
    w.jobs.push({ kind: 'deliver', id: String(reply?._id) });
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.equal(m.fake.posted().length, 1);
    assert.equal((await MessageModel.findById(reply?._id).lean())?.delivery?.sentExternalId, m.fake.posted()[0]?.id);
  });

  it('redelivery stores nothing new: a second poll, and notifications read again from an older cursor', async () => {
    for (let i = 0; i < 3; i += 1) m.fake.mention(anna, `@kestrelhome my thermostat is broken #${i}`);
    assert.equal((await poll()).stored, 3);
    assert.deepEqual([(await poll()).stored, (await poll()).duplicates], [0, 0]);
    await ChannelAccountModel.updateOne(KEY, { $set: { cursor: { mentionsMinId: '1' } } });
    const again = await poll();
    assert.deepEqual([again.stored, again.duplicates], [0, 3]);
    assert.equal(await MessageModel.countDocuments(), 3);
  });

  it('a 429 pauses the account until X-RateLimit-Reset, with no request before it, then nothing is lost', async () => {
    m.fake.mention(anna);
    const resetAt = new Date(clock.getTime() + 180_000);
    m.fake.failNext(NOTIFICATIONS, { status: 429, resetAt });
    assert.equal((await poll()).timelines.mentions, 'rate_limited');
    assert.equal((await timelines()).mentions?.pausedUntil?.getTime(), resetAt.getTime());
    const calls = m.fake.requests.length;
    assert.equal((await poll()).timelines.mentions, 'rate_limited');
    assert.equal(m.fake.requests.length, calls);
    clock = new Date(resetAt.getTime() + 1000);
    assert.deepEqual([(await poll()).outcome, await MessageModel.countDocuments()], ['polled', 1]);
  });

  it('a 401 marks the account failing with the instance\'s reason, polls nothing more, and a new token lifts it', async () => {
    m.fake.mention(anna);
    m.fake.tokenValid = false;
    assert.equal((await poll()).outcome, 'failing');
    assert.equal((await ChannelAccountModel.findOne(KEY).lean())?.status, 'failing');
    assert.match((await timelines()).mentions?.lastError ?? '', /Mastodon \(127\.0\.0\.1:\d+\) refused the access token \(401\): The access token is invalid/);
    const calls = m.fake.requests.length;
    assert.equal((await poll()).outcome, 'failing');
    assert.equal(m.fake.requests.length, calls);
    m.fake.tokenValid = true;
    await registerAccount(KEY, 'new-token');
    assert.deepEqual([(await poll()).outcome, await MessageModel.countDocuments()], ['polled', 1]);
  });

  it('a failure of a call after a successful one (the thread lookup after the notifications) leaves the cursor; the retry stores all once', async () => {
    const bob = m.fake.addAccount('bob', 'Bob');
    const root = m.fake.state.addStatus({ from: bob, text: 'our new thermostat is out', notify: false });
    m.fake.mention(anna, '@kestrelhome first');
    await poll();
    const before = (await ChannelAccountModel.findOne(KEY).lean())?.cursor;
    m.fake.mention(anna, '@kestrelhome does it work with solar?', { inReplyTo: root.id });
    m.fake.failNext(CONTEXT, { status: 503 });
    assert.equal((await poll()).timelines.mentions, 'unavailable');
    assert.deepEqual((await ChannelAccountModel.findOne(KEY).lean())?.cursor, before);
    assert.match((await timelines()).mentions?.lastError ?? '', /unavailable \(503\)/);
    assert.equal((await poll()).stored, 1);
    assert.equal((await ConversationModel.findOne({ threadKey: root.id }).lean())?.messageCount, 1);
  });

  it('a restart between storing a page and writing its cursor reads nothing twice, and threads the same way', async () => {
    const first = m.fake.mention(anna, '@kestrelhome my thermostat is broken');
    await poll();
    for (let i = 0; i < 7; i += 1) m.fake.mention(anna, `@kestrelhome still broken ${i}`, { inReplyTo: first.id });
    // the process stores the batch, then dies before the cursor is written
    const cursor = (await ChannelAccountModel.findOne(KEY).lean())?.cursor as Record<string, string>;
    const pulled = await m.connector.pullTimeline('mentions', cursor);
    await ingestBatch(pulled.messages, w.pipeline);
    // a new process: a new connector without the thread roots the old one had seen
    const restarted = createMastodonConnector({ accountId: KEY.account, url: m.fake.url, accessToken: m.fake.token, pageSize: 5 });
    const again = await poll(restarted);
    assert.deepEqual([again.stored, again.duplicates], [0, 7]);
    assert.equal(await MessageModel.countDocuments(), 8);
    assert.equal(await ConversationModel.countDocuments(), 1);
    m.fake.mention(anna, '@kestrelhome hello?', { inReplyTo: first.id });
    assert.equal((await poll(restarted)).stored, 1);
  });
});
