import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import request from 'supertest';
import { ConversationModel } from '../../src/store/models/conversation';
import { PendingSlackReplyModel, pendingReplyKey } from '../../src/store/models/pending-slack-reply';
import { bearer, seedDepartments } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { cliEnv, customerMentions } from '../support/slack-scenes';
import { runScript } from '../support/process';
import { startSlackWorld, type SlackWorld } from '../support/slack-world';

const MARKER = 'Zqvx7Marker';

/** Every document of every collection, as text: where a copy of the customer's words could hide. */
async function everything(): Promise<string> {
  const db = mongoose.connection.db!;
  const out: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) out.push(`${name}: ${JSON.stringify(doc)}`);
  }
  return out.join('\n');
}

describe('Erasing a customer: no copy of their text anywhere, their Slack card says so (FerretDB, fake Slack)', () => {
  useTestDatabase();
  let w: SlackWorld;
  beforeEach(async () => {
    await clearCollections();
    await seedDepartments();
    w = await startSlackWorld();
  });
  afterEach(() => w.close());

  it('replaces their text and profile in every collection, redraws their card, records counts only, and finds nothing the second time', async () => {
    const agent = await bearer('agent');
    const admin = await bearer('admin');
    const { conversation } = await customerMentions(w, `my thermostat ${MARKER} is broken`, 'erase_eva');
    const other = await customerMentions(w, 'my thermostat is broken too', 'keep_kim');
    const id = String(conversation._id);
    // a correction (training example from their text), a feedback tag, a block with their name, an agent reply waiting for its thread
    await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ department: 'product', productFeedback: true, reason: `quotes ${MARKER}` }).expect(200);
    await request(w.app).post('/api/blocked-senders').set('Authorization', await bearer('manager')).send({ channel: 'x', handle: 'erase_eva', name: `Eva ${MARKER}`, reason: `said ${MARKER}` }).expect(201);
    await PendingSlackReplyModel.create({ _id: pendingReplyKey(conversation.slack!.channel!, '1.2'), channel: conversation.slack!.channel!, threadTs: conversation.slack!.ts!, ts: '1.2', user: 'U0AGENT01', text: `re ${MARKER}`, receivedAt: new Date() });
    await w.runJobs();
    assert.match(await everything(), new RegExp(MARKER), 'the marker is stored before');
    const updatesBefore = w.slackApi.callsTo('chat.update').length;

    await request(w.app).post('/api/customers/erase').set('Authorization', await bearer('manager')).send({ channel: 'x', handle: '@erase_eva' }).expect(403);
    await request(w.app).post('/api/customers/erase').set('Authorization', admin).send({ channel: 'x' }).expect(400);
    const erased = await request(w.app).post('/api/customers/erase').set('Authorization', admin).send({ channel: 'x', handle: '@Erase_Eva' }).expect(200);
    assert.deepEqual(erased.body.data, { conversations: 1, messages: 1, trainingExamples: 1, routingEvents: 1, pendingSlackReplies: 1, blockedSenders: 1, slackCards: 1 });

    const stored = await everything();
    assert.doesNotMatch(stored, new RegExp(MARKER, 'i'), 'no collection holds their words');
    assert.doesNotMatch(stored, /x\.com\/erase_eva/i, 'no profile link or post link');
    assert.deepEqual(stored.split('\n').filter((line) => /erase_eva/i.test(line)).map((line) => line.split(':')[0]), ['blockedsenders'], 'the handle stays only as the block that keeps matching them');
    assert.match(stored, /keep_kim/, "another customer's conversation is untouched");
    assert.ok(other.conversation);
    const moved = (await ConversationModel.findById(id).lean())!.slack!;
    assert.equal(moved.channel, 'C0PRODUCT', 'its card moved with the reassignment');
    const update = w.slackApi.callsTo('chat.update').slice(updatesBefore).find((c) => c.body.ts === moved.ts);
    assert.ok(update, 'their card was updated');
    assert.match(JSON.stringify(update.body), /content erased at the customer’s request/);
    assert.doesNotMatch(JSON.stringify(update.body), new RegExp(MARKER));

    const trail = await request(w.app).get('/api/audit').query({ action: 'customer.erased' }).set('Authorization', admin).expect(200);
    assert.equal(trail.body.data.length, 1);
    assert.equal(trail.body.data[0].actor, 'token:test-admin');
    assert.equal(trail.body.data[0].details.messages, 1);
    assert.doesNotMatch(JSON.stringify(trail.body.data), /erase_eva/i, 'the trail names a hash, not the handle');

    const again = await request(w.app).post('/api/customers/erase').set('Authorization', admin).send({ channel: 'x', handle: 'erase_eva' }).expect(200);
    assert.deepEqual(Object.values(again.body.data), [0, 0, 0, 0, 0, 0, 0]);
  });

  it('the CLI erases the same way and, with SLACK_BOT_TOKEN set, redraws their card itself', async function () {
    this.timeout(120_000); // a CLI process connecting to the store
    const { conversation } = await customerMentions(w, `please call me ${MARKER}`, 'cli_carl');
    await w.runJobs();
    const updatesBefore = w.slackApi.callsTo('chat.update').length;
    const run = await runScript('src/cli/main.ts', ['customer', 'erase', 'x', '@cli_carl'], cliEnv(w)).done;
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { slackCards: number }).slackCards, 1);
    assert.doesNotMatch(await everything(), new RegExp(MARKER), 'no collection holds their words');
    const update = w.slackApi.callsTo('chat.update').slice(updatesBefore).find((c) => c.body.ts === conversation.slack!.ts);
    assert.ok(update, 'their card was updated by the CLI');
    assert.match(JSON.stringify(update.body), /content erased at the customer’s request/);
  });
});
