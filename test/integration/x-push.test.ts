import assert from 'node:assert/strict';
import { createApp } from '../../src/api/app';
import { pollAccount, type PollDeps } from '../../src/ingest/poll';
import { createLogger } from '../../src/runtime/logger';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import { startXWorld, type XWorld } from '../connectors/x-setup';
import { XActivityPusher } from '../fakes/x-activity-pusher';
import { testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { serveOnLoopback, type Served } from '../support/serve';

const SECRET = 'consumer-secret-of-the-app';
const ACCOUNT = 'acct-x-1';

describe('X Activity API push (webhook, fake X API, FerretDB)', () => {
  useTestDatabase();
  let world: XWorld;
  let served: Served;
  let x: XActivityPusher;
  const pipeline = { router: testRouter() };
  const pollDeps = (): PollDeps => ({ pipeline, logger: createLogger('silent'), owner: 'test-poller', leaseMs: 60_000, now: () => new Date() });

  beforeEach(async () => {
    await clearCollections();
    world = await startXWorld();
    await registerAccount({ channel: 'x', account: ACCOUNT });
    const app = createApp({
      logger: createLogger('silent'),
      pipeline,
      ingest: { maxBytes: 64 * 1024, maxBatch: 50 },
      xWebhook: { path: '/webhooks/x', consumerSecret: SECRET, accounts: [{ accountId: ACCOUNT, userId: world.fake.me.id }], maxBytes: 64 * 1024 },
    });
    served = await serveOnLoopback(app);
    x = new XActivityPusher(`${served.url}/webhooks/x`, SECRET, world.fake.state);
  });
  afterEach(async () => {
    await served.close();
    await world.fake.close();
  });

  it('answers the CRC challenge with the HMAC of the token, and refuses one without a token', async () => {
    const answer = await x.crc('challenge-123');
    assert.equal(answer.status, 200);
    // X's documented example computation: base64(HMAC-SHA256(consumer secret, crc_token))
    assert.deepEqual(answer.body, { response_token: 'sha256=FD7XKkJ58scnVgSBW2q88TNYdhdURhRvJzhVb/l5CAU=' });
    const missing = await fetch(`${served.url}/webhooks/x`);
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: { message: string } }).error.message, /crc_token/);
  });

  it('stores a mention delivered by push and by poll once', async () => {
    const anna = world.fake.addUser('anna_k', 'Anna K');
    const post = world.fake.addMention({ from: anna, text: `@${world.fake.me.username} my thermostat is broken` });
    const pushed = await x.mention(post);
    assert.equal(pushed.status, 200);
    assert.deepEqual([(pushed.body as { stored: number }).stored], [1]);
    const stored = await MessageModel.findOne({ channel: 'x', account: ACCOUNT, externalId: post.id }).lean();
    assert.equal(stored?.text, post.text);
    assert.equal(stored?.author?.handle, '@anna_k');
    // X retries a delivery it thinks failed
    const again = await x.mention(post);
    assert.equal((again.body as { duplicates: number }).duplicates, 1);

    const polled = await pollAccount(world.connector, ACCOUNT, pollDeps());
    assert.deepEqual([polled.outcome, polled.stored], ['polled', 0]);
    assert.equal(await MessageModel.countDocuments({ externalId: post.id }), 1);
    assert.equal(await ConversationModel.countDocuments(), 1);
  });

  it('stores a mention once that polling took in before push delivered it', async () => {
    const anna = world.fake.addUser('anna_k', 'Anna K');
    const post = world.fake.addMention({ from: anna, text: `@${world.fake.me.username} where is my order?` });
    assert.equal((await pollAccount(world.connector, ACCOUNT, pollDeps())).stored, 1);
    const late = await x.mention(post);
    assert.deepEqual([late.status, (late.body as { duplicates: number }).duplicates], [200, 1]);
    assert.equal(await MessageModel.countDocuments(), 1);
  });

  it('stores a DM delivered by push in the DM conversation polling would use', async () => {
    const bob = world.fake.addUser('bob_b', 'Bob B');
    const event = world.fake.addDm({ from: bob, text: 'hello, I need a quote for 40 units, price?' });
    const pushed = await x.dm(event);
    assert.equal(pushed.status, 200);
    const conversation = await ConversationModel.findOne({ kind: 'dm' }).lean();
    assert.equal(conversation?.department, 'sales');
    assert.equal(conversation?.threadKey, `dm:${event.dm_conversation_id}`);
    assert.equal((await pollAccount(world.connector, ACCOUNT, pollDeps())).stored, 0);
    assert.equal(await MessageModel.countDocuments(), 1);
  });

  it('ignores our own DM coming back as dm.received (202), as polling does', async () => {
    const bob = world.fake.addUser('bob_b', 'Bob B');
    const ours = world.fake.addDm({ from: world.fake.me, to: bob, text: 'thanks, we are on it' });
    const pushed = await x.dm(ours);
    assert.equal(pushed.status, 202);
    assert.equal(await MessageModel.countDocuments(), 0);
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const anna = world.fake.addUser('anna_k', 'Anna K');
    const post = world.fake.addMention({ from: anna, text: '@acme_support broken again' });
    const raw = JSON.stringify(x.envelope('post.mention.create', world.fake.me.id, { id: post.id, text: post.text, author_id: anna.id }, []));
    const forged = await x.post(raw, new XActivityPusher('', 'another-secret', world.fake.state).sign(raw));
    assert.equal(forged.status, 401);
    assert.match((forged.body as { error: { message: string } }).error.message, /x-twitter-webhooks-signature/);
    assert.equal((await x.post(raw, null)).status, 401);
    // a signature of another body: the text was changed on the way
    assert.equal((await x.post(raw.replace('broken', 'fixed'), x.sign(raw))).status, 401);
    assert.equal(await MessageModel.countDocuments(), 0);
  });

  it('answers 202 for an event of an X user no account has, and stores nothing', async () => {
    const anna = world.fake.addUser('anna_k', 'Anna K');
    const post = world.fake.addMention({ from: anna, text: '@someone_else hi' });
    const pushed = await x.mention(post, '999000111');
    assert.equal(pushed.status, 202);
    assert.match((pushed.body as { reason: string }).reason, /999000111/);
    assert.equal(await MessageModel.countDocuments(), 0);
  });

  it('answers 400 naming what is wrong with a malformed body, and stores nothing', async () => {
    const notJson = await x.post('{"data": ');
    assert.equal(notJson.status, 400);
    assert.match((notJson.body as { error: { message: string } }).error.message, /not valid JSON/);
    const noFilter = await x.post(JSON.stringify({ data: { event_type: 'post.mention.create', payload: { id: '1', text: 'x' } } }));
    assert.equal(noFilter.status, 400);
    assert.match((noFilter.body as { error: { message: string } }).error.message, /data\.filter/);
    const noText = await x.post(JSON.stringify(x.envelope('post.mention.create', world.fake.me.id, { id: '1790000000000000999' }, [])));
    assert.equal(noText.status, 400);
    assert.match((noText.body as { error: { message: string } }).error.message, /data\.payload\.text/);
    assert.equal(await MessageModel.countDocuments(), 0);
  });
});
