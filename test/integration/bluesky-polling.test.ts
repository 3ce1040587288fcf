import assert from 'node:assert/strict';
import { createBlueskyConnector } from '../../connectors/bluesky';
import { ingestBatch } from '../../src/ingest/pipeline';
import { pollAccount, type PollDeps } from '../../src/ingest/poll';
import { createLogger } from '../../src/runtime/logger';
import { ChannelAccountModel, type TimelineState } from '../../src/store/models/channel-account';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import { APP_PASSWORD } from '../fakes/bluesky-api';
import { chat, mention, startBlueskyWorld, type BlueskyWorld } from '../connectors/bluesky-setup';
import { testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';

const KEY = { channel: 'bluesky', account: 'acct-bsky-1' };
const LIST = 'app.bsky.notification.listNotifications';

describe('polling a Bluesky account (real @atproto/api, fake PDS, FerretDB)', () => {
  useTestDatabase();
  let w: BlueskyWorld;
  let clock: Date;
  let routed: string[];
  const deps = (): PollDeps => ({
    pipeline: { router: testRouter(), onNewConversation: ({ conversationId }) => Promise.resolve(void routed.push(String(conversationId))) },
    logger: createLogger('silent'),
    owner: 'test-poller',
    leaseMs: 60_000,
    now: () => clock,
  });
  const poll = (connector = w.connector) => pollAccount(connector, KEY.account, deps());
  const timelines = async () => (await ChannelAccountModel.findOne(KEY).lean())?.timelines as Record<string, TimelineState & { pausedUntil?: Date }>;

  beforeEach(async () => {
    await clearCollections();
    clock = new Date();
    routed = [];
    w = await startBlueskyWorld();
    await registerAccount(KEY);
  });
  afterEach(() => w.fake.close());

  it('a brand-new account: an empty first poll, then mentions, replies and chat stored once, one conversation per thread and convo', async () => {
    assert.deepEqual(await poll(), { outcome: 'polled', stored: 0, duplicates: 0, timelines: { notifications: 'polled', chat: 'polled' } });
    const root = mention(w, 'my thermostat is broken since the update');
    const ours = w.fake.state.createPost(w.fake.me, 'we look into it', root.uri);
    w.fake.state.createPost(w.anna, 'still broken', ours.uri);
    chat(w, 'hello, I need a quote for 40 units, price?');
    const first = await poll();
    assert.deepEqual([first.outcome, first.stored], ['polled', 3]);
    // the same notifications and messages delivered again store nothing new
    const again = await poll();
    assert.equal(again.stored, 0);
    assert.equal(await MessageModel.countDocuments(), 3);
    const conversations = await ConversationModel.find().sort({ kind: 1 }).lean();
    assert.deepEqual(conversations.map((c) => [c.kind, c.threadKey]), [['dm', w.fake.state.convoFor([w.anna.did]).id], ['mention', root.uri]]);
    assert.equal(conversations[0]?.department, 'sales');
    assert.equal(routed.length, 2, 'one card per conversation');
  });

  it('a poll that stored its messages and died before moving its cursor: the next process stores nothing twice', async () => {
    for (let i = 0; i < 7; i++) mention(w, `broken #${i}`);
    await poll();
    for (let i = 0; i < 7; i++) mention(w, `still broken #${i}`);
    const stored = (await ChannelAccountModel.findOne(KEY).lean())?.cursor;
    // what the poll does before it saves the cursor, and then the process is gone
    await ingestBatch((await w.connector.pullTimeline('notifications', { ...stored } as Record<string, string>)).messages, deps().pipeline);
    const restarted = createBlueskyConnector({ accountId: KEY.account, service: w.fake.url, identifier: w.fake.me.handle, appPassword: APP_PASSWORD, pageSize: 5 });
    const after = await poll(restarted);
    assert.deepEqual([after.outcome, after.stored], ['polled', 0]);
    assert.equal(await MessageModel.countDocuments(), 12);
    assert.equal(routed.length, 12, 'no card twice');
  });

  it('a page failing mid-poll leaves that cursor where it was; chat goes on; the next poll loses nothing', async () => {
    mention(w, 'one');
    await poll();
    const before = (await ChannelAccountModel.findOne(KEY).lean())?.cursor;
    for (let i = 0; i < 12; i++) mention(w, `more #${i}`);
    chat(w, 'a chat meanwhile');
    w.fake.failNext(LIST, { status: 502, after: 1 });
    const failed = await poll();
    assert.deepEqual(failed.timelines, { notifications: 'unavailable', chat: 'polled' });
    const cursor = (await ChannelAccountModel.findOne(KEY).lean())?.cursor as Record<string, string>;
    assert.equal(cursor.notificationsSeenAt, (before as Record<string, string>).notificationsSeenAt);
    assert.match((await timelines()).notifications?.lastError ?? '', /Bluesky unavailable on listNotifications \(UpstreamFailure/);
    assert.equal((await poll()).stored, 12);
    assert.equal(await MessageModel.countDocuments(), 14);
  });

  it('waits for the ratelimit-reset a 429 names, then resumes with nothing lost', async () => {
    mention(w, 'hello');
    const resetAt = Math.floor(clock.getTime() / 1000) + 900;
    w.fake.failNext(LIST, { status: 429, resetAt });
    assert.equal((await poll()).timelines.notifications, 'rate_limited');
    assert.equal((await timelines()).notifications?.pausedUntil?.getTime(), resetAt * 1000);
    const calls = w.fake.count(LIST);
    assert.equal((await poll()).timelines.notifications, 'rate_limited');
    assert.equal(w.fake.count(LIST), calls, 'no request before the reset');
    clock = new Date(resetAt * 1000 + 1000);
    assert.deepEqual([(await poll()).stored], [1]);
  });

  it('a wrong app password marks the account failing, says why, and stops polling until the credentials change', async () => {
    w.fake.password = 'changed-elsewhere';
    mention(w, 'hello');
    assert.equal((await poll()).outcome, 'failing');
    const account = await ChannelAccountModel.findOne(KEY).lean();
    assert.equal(account?.status, 'failing');
    const states = account?.timelines as Record<string, TimelineState>;
    assert.match(states.notifications?.lastError ?? '', /refused the login of kestrelhome\.bsky\.social .*Invalid identifier or password/);
    const calls = w.fake.calls.length;
    assert.equal((await poll()).outcome, 'failing');
    assert.equal(w.fake.calls.length, calls, 'nothing asked while failing');

    w.fake.password = APP_PASSWORD;
    await registerAccount(KEY, 'new-app-password');
    assert.deepEqual([(await poll()).stored], [1]);
  });
});
