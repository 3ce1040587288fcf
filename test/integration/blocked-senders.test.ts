import assert from 'node:assert/strict';
import request from 'supertest';
import { blockSender } from '../../src/actions/screening';
import { ingestBatch } from '../../src/ingest/pipeline';
import { slaFigures } from '../../src/sla/figures';
import { AuditRecordModel } from '../../src/store/models/audit-record';
import { BlockedSenderModel } from '../../src/store/models/blocked-sender';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { bearer, seedDepartments } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { afterNextRead } from '../support/interleave';
import { runScript } from '../support/process';
import { blockActionsPayload } from '../support/slack-requests';
import { cliEnv } from '../support/slack-scenes';
import { AGENT, CHANNELS, startSlackWorld, TRIAGE_CHANNEL, type SlackWorld } from '../support/slack-world';

const allChannels = [...Object.values(CHANNELS), TRIAGE_CHANNEL];

describe('Blocked senders: stored, never routed, carded or timed (FerretDB, fake Slack)', () => {
  useTestDatabase();
  let w: SlackWorld;
  beforeEach(async () => {
    await clearCollections();
    await seedDepartments();
    w = await startSlackWorld();
  });
  afterEach(() => w.close());

  /** A mention (with `inReplyTo`, a reply in that tweet's thread) from `username`, ingested and its jobs run. */
  async function mention(username: string, text: string, inReplyTo?: string) {
    const tweet = w.x.fake.addMention({ from: w.x.fake.addUser(username, username), text: `@kestrelhome ${text}`, inReplyTo });
    const messages = (await w.x.connector.pull(null)).messages.filter((m) => m.externalId === tweet.id);
    const [result] = await ingestBatch(messages, w.pipeline);
    await w.runJobs();
    return (await ConversationModel.findById(result?.conversationId).lean())!;
  }
  const cards = () => allChannels.flatMap((c) => w.slackApi.messages(c));
  const window = () => [new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000)] as const;

  it("blocked through the API, a sender's message is stored and searchable, flagged, but not routed, carded or in the figures", async () => {
    const manager = await bearer('manager');
    const created = await request(w.app).post('/api/blocked-senders').set('Authorization', manager).send({ channel: 'x', handle: '@Spam_Bot', reason: 'spam' }).expect(201);
    assert.equal(created.body.data.handle, 'spam_bot');
    await request(w.app).post('/api/blocked-senders').set('Authorization', manager).send({ channel: 'x', handle: 'spam_bot' }).expect(200);
    await request(w.app).post('/api/blocked-senders').set('Authorization', manager).send({ channel: 'x' }).expect(400);
    await request(w.app).post('/api/blocked-senders').set('Authorization', await bearer('agent')).send({ channel: 'x', handle: 'x' }).expect(403);

    const blocked = await mention('spam_bot', 'my thermostat is broken, buy followers at spam.example');
    const ordinary = await mention('real_rita', 'my thermostat is broken');
    assert.equal(blocked.blocked, true);
    assert.equal(blocked.department, 'triage');
    assert.equal(blocked.sla, undefined, 'no clock');
    assert.equal((await MessageModel.findOne({ conversationId: blocked._id }).lean())?.blocked, true);
    assert.equal((await RoutingEventModel.findOne({ conversationId: blocked._id }).lean())?.reason, 'new conversation; rule: blocked sender');
    assert.equal(cards().length, 1, "only the other customer's card");
    assert.ok(ordinary.sla?.firstResponseDueAt);

    const agent = await bearer('agent');
    const found = await request(w.app).get('/api/conversations?q=spam_bot').set('Authorization', agent).expect(200);
    assert.deepEqual(found.body.data.map((c: { id: string; blocked: boolean }) => [c.id, c.blocked]), [[String(blocked._id), true]]);
    const unblocked = await request(w.app).get('/api/conversations?blocked=false').set('Authorization', agent).expect(200);
    assert.deepEqual(unblocked.body.data.map((c: { id: string }) => c.id), [String(ordinary._id)]);
    const figures = await slaFigures(...window(), 'department', new Date());
    assert.deepEqual(figures.map((g) => [g.key, g.volume, g.backlog]), [['support', 1, 1]]);

    const list = await request(w.app).get('/api/blocked-senders').set('Authorization', manager).expect(200);
    assert.deepEqual(list.body.data.map((s: { handle: string }) => s.handle), ['spam_bot']);
    await request(w.app).delete('/api/blocked-senders/nobody').set('Authorization', manager).expect(404);
    await request(w.app).delete('/api/blocked-senders/x:SPAM_BOT').set('Authorization', manager).expect(200);
    const later = await mention('spam_bot', 'my thermostat is broken again');
    assert.equal(later.blocked, undefined, 'unblocked: a new message is routed');
    assert.equal(later.department, 'support');
  });

  it('two agents blocking one sender at once make one entry, recorded once', async () => {
    const other = { id: 'slack:U2', name: 'Ben' };
    // the second agent's block lands after the first one looked the sender up and found nothing
    const restore = afterNextRead(BlockedSenderModel, () => blockSender({ channel: 'x', handle: 'spam_bot' }, other, {}));
    const first = await blockSender({ channel: 'x', handle: '@Spam_Bot' }, { id: 'slack:U1', name: 'Anna' }, {}).finally(restore);
    assert.equal(first.created, false, 'the other agent was first');
    assert.equal(await BlockedSenderModel.countDocuments(), 1);
    const records = await AuditRecordModel.find({ action: 'sender.blocked' }).lean();
    assert.deepEqual(records.map((r) => [r.actor, r.target.id]), [['slack:U2', first.sender.id]]);
  });

  it('a sender blocked twice at once by an older version (two entries) is unblocked by either id or by handle, and its messages are routed again', async () => {
    // what two agents blocking the same customer within one round trip left before entries were keyed: an entry each
    const twice = async () => Promise.all(['slack:U1', 'slack:U2'].map((by) => BlockedSenderModel.create({ channel: 'x', handle: 'spam_bot', by, keys: ['x:handle:spam_bot'] })));
    const admin = await bearer('admin');
    const [one] = await twice();
    await request(w.app).delete(`/api/blocked-senders/${String(one!._id)}`).set('Authorization', admin).expect(200);
    assert.equal(await BlockedSenderModel.countDocuments(), 0, 'unblocked by one id: both entries gone');
    await twice();
    await request(w.app).delete('/api/blocked-senders/x:spam_bot').set('Authorization', admin).expect(200);
    assert.equal(await BlockedSenderModel.countDocuments(), 0, 'unblocked by handle: both entries gone');
    const conversation = await mention('spam_bot', 'my thermostat is broken');
    assert.notEqual(conversation.blocked, true, 'its message is routed again');
    assert.equal(cards().length, 1, 'and carded');
  });

  it("the card's Block sender button blocks: the conversation loses its clock, the card is redrawn, the next message is not carded", async () => {
    const conversation = await mention('troll_tom', 'my thermostat is broken lol');
    const card = w.slackApi.messages(CHANNELS.support)[0]!;
    assert.match(JSON.stringify(card.blocks), /"action_id":"sb_block_sender".*"confirm"/, 'the button asks first');
    const payload = blockActionsPayload({ user: AGENT.id, channel: CHANNELS.support, messageTs: card.ts, actionId: 'sb_block_sender', value: String(conversation._id), responseUrl: 'http://127.0.0.1:9/unused' });
    assert.equal((await w.postSigned(payload)).status, 200);
    await w.runJobs();

    const sender = await BlockedSenderModel.findOne().lean();
    assert.deepEqual([sender?.channel, sender?.handle, sender?.by], ['x', 'troll_tom', `slack:${AGENT.id}`]);
    const after = (await ConversationModel.findById(conversation._id).lean())!;
    assert.equal(after.blocked, true);
    assert.equal(after.sla, undefined, 'its clock is gone');
    const redrawn = JSON.stringify(w.slackApi.message(CHANNELS.support, card.ts)?.blocks);
    assert.match(redrawn, /Sender blocked/);
    assert.doesNotMatch(redrawn, /sb_block_sender/);

    await mention('troll_tom', 'my thermostat is broken, answer me');
    assert.equal(cards().length, 1, 'no new card');
    const figures = await slaFigures(...window(), 'department', new Date());
    assert.deepEqual(figures, [], 'neither conversation counts');
  });

  it("a blocked sender's follow-up into a resolved conversation is stored only: it stays resolved, no clock, no thread line, not in the open queue", async () => {
    const conversation = await mention('back_bert', 'my thermostat is broken');
    const id = String(conversation._id);
    const root = conversation.lastInbound!.externalId!;
    const agent = await bearer('agent');
    await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ status: 'resolved' }).expect(200);
    const blocked = await request(w.app).post('/api/blocked-senders').set('Authorization', await bearer('manager')).send({ channel: 'x', handle: 'back_bert' }).expect(201);
    assert.equal(blocked.body.conversations, 0, 'a resolved conversation is not marked');
    await w.runJobs();
    const before = (await ConversationModel.findById(id).lean())!;
    const thread = () => w.slackApi.thread(before.slack!.channel!, before.slack!.ts!).length;
    const linesBefore = thread();

    await mention('back_bert', 'my thermostat is broken again, answer me', root);
    const after = (await ConversationModel.findById(id).lean())!;
    assert.equal(after.status, 'resolved', 'not reopened');
    assert.deepEqual(after.resolvedAt, before.resolvedAt);
    assert.equal(after.reopenedAt, undefined);
    assert.deepEqual(after.sla, before.sla, 'no clock started or moved');
    assert.deepEqual(after.lastMessageAt, before.lastMessageAt, 'not moved up the inbox');
    assert.equal(after.messageCount, 2, 'the message is stored in it');
    assert.equal(after.lastInbound?.externalId, root, "an agent's reply would not go to the blocked sender's message");
    assert.equal((await MessageModel.findOne({ conversationId: id, externalId: { $ne: root } }).lean())?.blocked, true);
    assert.equal(thread(), linesBefore, 'no thread line');
    const open = await request(w.app).get('/api/conversations?status=open').set('Authorization', agent).expect(200);
    assert.deepEqual(open.body.data, [], 'not in the open queue');
    const shown = await request(w.app).get(`/api/conversations/${id}`).set('Authorization', agent).expect(200);
    assert.equal(shown.body.data.status, 'resolved');

    // unblocked, the same customer's next message reopens it as any customer's does
    await request(w.app).delete('/api/blocked-senders/x:back_bert').set('Authorization', await bearer('manager')).expect(200);
    await mention('back_bert', 'still broken, hello?', root);
    const reopened = (await ConversationModel.findById(id).lean())!;
    assert.equal(reopened.status, 'open');
    assert.ok(reopened.lastMessageAt > before.lastMessageAt, 'their unblocked message moves it up');
    assert.ok(reopened.reopenedAt);
    assert.equal(thread(), linesBefore + 1, 'its thread line is posted');
  });

  it("a blocked sender's reply in the same batch as a new conversation is counted, but neither dates it nor is what a reply answers", async () => {
    await request(w.app).post('/api/blocked-senders').set('Authorization', await bearer('manager')).send({ channel: 'x', handle: 'batch_bot' }).expect(201);
    const at = new Date(Date.now() - 60_000);
    const root = w.x.fake.addMention({ from: w.x.fake.addUser('batch_rita', 'Rita'), text: '@kestrelhome my thermostat is broken', createdAt: at });
    const spam = w.x.fake.addMention({ from: w.x.fake.addUser('batch_bot', 'Bot'), text: '@kestrelhome buy followers', inReplyTo: root.id, createdAt: new Date(at.getTime() + 30_000) });
    const messages = (await w.x.connector.pull(null)).messages.filter((m) => m.externalId === root.id || m.externalId === spam.id);
    assert.equal(messages.length, 2);
    const [result] = await ingestBatch(messages, w.pipeline);
    const c = (await ConversationModel.findById(result?.conversationId).lean())!;
    assert.equal(c.messageCount, 2);
    assert.equal(c.blocked, undefined, "Rita's conversation is not blocked");
    assert.equal(c.lastInbound?.externalId, root.id, "an agent's reply answers Rita");
    assert.deepEqual(c.lastMessageAt, at);
    assert.equal((await MessageModel.findOne({ externalId: spam.id }).lean())?.blocked, true);
  });

  it('blocked from the shell with SLACK_BOT_TOKEN set, their cards are redrawn; one Slack refuses is reported and the rest still are', async function () {
    this.timeout(120_000); // a CLI process connecting to the store
    const first = await mention('shell_sam', 'my thermostat is broken');
    const second = await mention('shell_sam', 'and the app does not log in either');
    assert.notEqual(String(first._id), String(second._id));
    const updatesBefore = w.slackApi.callsTo('chat.update').length;
    w.slackApi.failNext('chat.update', { error: 'message_not_found' });

    const run = await runScript('src/cli/main.ts', ['sender', 'block', '--channel', 'x', '--handle', '@Shell_Sam'], cliEnv(w)).done;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /blocked: x handle @Shell_Sam; 2 open conversation\(s\) marked/);
    assert.match(run.stderr, /was not redrawn: .*message_not_found/);
    const updates = w.slackApi.callsTo('chat.update').slice(updatesBefore);
    assert.equal(updates.length, 2, 'both cards were tried');
    const redrawn = [first, second].filter((c) => /Sender blocked/.test(JSON.stringify(w.slackApi.message(c.slack!.channel!, c.slack!.ts!)?.blocks)));
    assert.equal(redrawn.length, 1, 'the card Slack accepted shows the block');
    for (const c of [first, second]) {
      const stored = (await ConversationModel.findById(c._id).lean())!;
      assert.equal(stored.blocked, true);
      assert.equal(stored.sla?.firstResponseDueAt, undefined, 'no clock');
    }
  });
});
