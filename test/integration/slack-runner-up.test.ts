import assert from 'node:assert/strict';
import request from 'supertest';
import { ingestBatch } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer } from '../support/app';
import { withoutJoiners } from '../support/mrkdwn';
import { blockActionsPayload } from '../support/slack-requests';
import { AGENT, CHANNELS, TRIAGE_CHANNEL, useSlackWorld } from '../support/slack-world';

describe('the model\'s close second department on the Slack card and in the API', () => {
  const world = useSlackWorld();
  let seq = 0;

  async function customerWrites(text: string) {
    const externalId = `r${++seq}`;
    const w = world();
    const [result] = await ingestBatch([{ channel: 'webhook', account: 'shop', externalId, threadKey: externalId, kind: 'mention', author: { handle: '@kim' }, text, createdAt: new Date() }], w.pipeline);
    await w.runJobs();
    return (await ConversationModel.findById(result?.conversationId).lean())!;
  }
  const cardIn = (channel: string, ts: string | null | undefined) => withoutJoiners(JSON.stringify(world().slackApi.message(channel, ts ?? '')?.blocks ?? []));

  it('a close second is named on the card with a button that moves the conversation there', async () => {
    const w = world();
    const c = await customerWrites('the invoice is wrong');
    assert.equal(c.department, 'sales');
    const card = cardIn(CHANNELS.sales, c.slack?.ts);
    assert.ok(card.includes('close second: Customer support 42%'), card);
    assert.ok(card.includes('"action_id":"sb_move_runner_up"') && card.includes('Move to Customer support'), card);

    // the API shows it too
    const { body } = await request(w.app).get(`/api/conversations/${String(c._id)}`).set('Authorization', await bearer('agent')).expect(200);
    assert.deepEqual(body.data.routing.runnerUp, { department: 'support', score: 0.42 });

    await w.postSigned(blockActionsPayload({ user: AGENT.id, channel: CHANNELS.sales, messageTs: c.slack?.ts ?? '', actionId: 'sb_move_runner_up', value: `${String(c._id)}|support`, responseUrl: 'http://127.0.0.1:9/unused' })).expect(200);
    await w.runJobs();
    const moved = await ConversationModel.findById(c._id).lean();
    assert.equal(moved?.department, 'support');
    assert.match(cardIn(CHANNELS.sales, c.slack?.ts), /Moved to Customer support by Anna Agent/);
    // on the new card the close second is where it already is: named, but no button
    const newCard = cardIn(CHANNELS.support, moved?.slack?.ts);
    assert.ok(newCard.includes('close second: Customer support 42%') && !newCard.includes('sb_move_runner_up'), newCard);
  });

  it('in triage the card names the model\'s guess beside its close second, and leaves moving to the menu', async () => {
    const c = await customerWrites('maybe later');
    assert.equal(c.department, 'triage');
    const card = cardIn(TRIAGE_CHANNEL, c.slack?.ts);
    assert.ok(card.includes("model's guess: Sales · 30% confident") && card.includes('close second: People (HR) 18%'), card);
    assert.ok(!card.includes('sb_move_runner_up') && card.includes('Route to department'), card);
  });

  it('a distant second is not shown', async () => {
    const w = world();
    const c = await customerWrites('my thermostat is broken');
    const card = cardIn(CHANNELS.support, c.slack?.ts);
    assert.ok(card.includes('90% confident') && !card.includes('close second') && !card.includes('sb_move_runner_up'), card);
    const { body } = await request(w.app).get(`/api/conversations/${String(c._id)}`).set('Authorization', await bearer('agent')).expect(200);
    assert.equal(body.data.routing.runnerUp, null);
  });
});
