import assert from 'node:assert/strict';
import request from 'supertest';
import { ingestBatch } from '../../src/ingest/pipeline';
import { replyDetectorFromStore, watchReplyVerdicts } from '../../src/learning/reply-detector';
import { storedExamples } from '../../src/learning/retrain';
import { createLogger } from '../../src/runtime/logger';
import { slaFigures } from '../../src/sla/figures';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, seedDepartments, testNoReplyDetector } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { CHANNELS, startSlackWorld, TRIAGE_CHANNEL, type SlackWorld } from '../support/slack-world';

const allChannels = [...Object.values(CHANNELS), TRIAGE_CHANNEL];

describe('No reply needed: no SLA clock, no card, until a message or an agent says otherwise (FerretDB, fake Slack)', () => {
  useTestDatabase();
  let w: SlackWorld;
  const start = async (noReplyCards?: 'channel') => {
    w = await startSlackWorld({}, {}, undefined, { noReply: testNoReplyDetector(), noReplyCards });
  };
  beforeEach(async () => {
    users.clear();
    await clearCollections();
    await seedDepartments();
  });
  afterEach(() => w.close());

  const users = new Map<string, ReturnType<SlackWorld['x']['fake']['addUser']>>();
  /** A mention (or, with `inReplyTo`, a reply in its thread) from `who` (the same X user each time), ingested and its jobs run. */
  async function mention(who: string, text: string, inReplyTo?: string) {
    const from = users.get(who) ?? w.x.fake.addUser(who, who);
    users.set(who, from);
    const tweet = w.x.fake.addMention({ from, text: `@kestrelhome ${text}`, inReplyTo });
    const messages = (await w.x.connector.pull(null)).messages.filter((m) => m.externalId === tweet.id);
    const [result] = await ingestBatch(messages, w.pipeline);
    await w.runJobs();
    return { tweet, conversation: (await ConversationModel.findById(result?.conversationId).lean())! };
  }
  const cards = () => allChannels.flatMap((c) => w.slackApi.messages(c));

  it('a "thanks!" starts no SLA clock and posts no card; "thanks, but it is still broken" does both', async () => {
    await start();
    const { conversation: thanks } = await mention('happy_hanna', 'thanks!');
    assert.equal(thanks.needsReply, false);
    assert.ok((thanks.reply?.score ?? 0) >= 0.8, `score ${thanks.reply?.score}`);
    assert.equal(thanks.sla, undefined, 'no clock');
    assert.equal(cards().length, 0, 'no card in any channel');

    const { conversation: still } = await mention('grumpy_gus', 'thanks, but it is still broken');
    assert.notEqual(still.needsReply, false);
    assert.equal(still.reply?.reason, 'cue: but');
    assert.ok(still.sla?.firstResponseDueAt, 'its first-response clock runs');
    assert.equal(w.slackApi.messages(CHANNELS.support).length, 1, 'carded in support');

    const figures = await slaFigures(new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000), 'department', new Date());
    assert.deepEqual(figures.map((g) => [g.key, g.volume]), [['support', 1]], 'the figures skip the thanks');
  });

  it('a follow-up that needs a reply makes it an ordinary conversation: clock from then, card, thread line', async () => {
    await start();
    const { tweet } = await mention('back_again', 'thank you so much!');
    assert.equal(cards().length, 0);
    const { conversation } = await mention('back_again', 'the hub is broken again, can you help?', tweet.id);
    assert.equal(conversation.needsReply, true);
    assert.match(conversation.reply?.reason ?? '', /^follow-up/);
    assert.ok(conversation.sla?.firstResponseDueAt && conversation.sla.startedAt > conversation.firstMessageAt, 'the clock starts at the follow-up');
    const [card] = cards();
    assert.ok(card, 'its card is posted');
    assert.match(JSON.stringify(w.slackApi.thread(conversation.slack!.channel!, conversation.slack!.ts!)), /broken again/);
  });

  it('an agent flips it in the API: the clock starts and the card is posted; flipped back, the clock stops; the list filters', async () => {
    await start();
    const { conversation } = await mention('polite_paul', 'great job guys, love it');
    const id = String(conversation._id);
    const agent = await bearer('agent');
    const quiet = await request(w.app).get('/api/conversations?needsReply=false').set('Authorization', agent).expect(200);
    assert.deepEqual(quiet.body.data.map((c: { id: string }) => c.id), [id]);
    assert.equal(quiet.body.data[0].needsReply, false);

    const flipped = await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ needsReply: true }).expect(200);
    assert.equal(flipped.body.data.needsReply, true);
    assert.equal(flipped.body.data.reply.by, 'token:test-agent');
    await w.runJobs();
    assert.ok((await ConversationModel.findById(id).lean())?.sla?.firstResponseDueAt, 'clock started');
    assert.equal(cards().length, 1, 'card posted');
    assert.equal((await request(w.app).get('/api/conversations?needsReply=false').set('Authorization', agent).expect(200)).body.data.length, 0);

    await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ needsReply: false }).expect(200);
    const after = (await ConversationModel.findById(id).lean())!;
    assert.equal(after.sla, undefined, 'clock stopped');
    assert.match(JSON.stringify(w.slackApi.message(after.slack!.channel!, after.slack!.ts!)?.blocks), /No reply needed \(\d+% sure/, 'card redrawn');
    await request(w.app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ needsReply: 'yes' }).expect(400);
  });

  it("an agent's verdict decides at once for the same customer's near-identical message, and the detector learns it", async () => {
    await start();
    const text = 'great job guys, love it';
    const { conversation } = await mention('polite_pia', text);
    assert.equal(conversation.needsReply, false);
    await request(w.app).patch(`/api/conversations/${String(conversation._id)}`).set('Authorization', await bearer('agent')).send({ needsReply: true }).expect(200);
    await w.runJobs();
    const cardsBefore = cards().length;

    const { conversation: again } = await mention('polite_pia', `${text}!!`);
    assert.equal(again.needsReply, true);
    assert.equal(again.reply?.reason, 'correction by token:test-agent of a near-identical message');
    assert.ok(again.sla?.firstResponseDueAt, 'its clock runs');
    assert.equal(cards().length, cardsBefore + 1, 'carded');
    const { conversation: stranger } = await mention('other_olga', text);
    assert.equal(stranger.needsReply, false, "another customer's message waits for the detector to learn");
    assert.deepEqual(await storedExamples(), [], 'a verdict is no department example');

    // every process retrains its detector when the verdicts change
    const before = w.pipeline.router.checkReply(text)!.score;
    const stop = watchReplyVerdicts(w.pipeline.router, 0.8, (await replyDetectorFromStore(0.8)).mark, 20, createLogger('silent'));
    try {
      await request(w.app).patch(`/api/conversations/${String(stranger._id)}`).set('Authorization', await bearer('agent')).send({ needsReply: true }).expect(200);
      const deadline = Date.now() + 20_000;
      while (w.pipeline.router.checkReply(text)!.score === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      stop();
    }
    const after = w.pipeline.router.checkReply(text)!.score;
    assert.ok(after < before, `the detector is less sure it needs no reply: ${before} -> ${after}`);
    const { detector, taught } = await replyDetectorFromStore(0.8);
    assert.equal(taught, 2);
    assert.equal(detector.check(text).score, after);
    assert.ok(detector.check('thanks!').score >= 0.8, 'a plain thanks still needs none: the lesson stays with its words');
  });

  it('NO_REPLY_CARDS=channel still posts the card, marked, with no clock', async () => {
    await start('channel');
    const { conversation } = await mention('fan_fiona', 'thanks!');
    assert.equal(conversation.sla, undefined);
    const [card] = cards();
    assert.match(JSON.stringify(card?.blocks), /No reply needed \(\d+% sure; no SLA clock\)/);
    assert.match(JSON.stringify(card?.blocks), /sb_needs_reply/);
  });
});
