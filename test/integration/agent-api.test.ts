import assert from 'node:assert/strict';
import request from 'supertest';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { bearer } from '../support/app';
import { customerMentions } from '../support/slack-scenes';
import { CHANNELS, type SlackWorld, useSlackWorld } from '../support/slack-world';

describe('agent actions through the REST API (the same code paths as the Slack buttons)', () => {
  const world = useSlackWorld();
  let w: SlackWorld;
  let agent: string;
  beforeEach(async () => {
    w = world();
    agent = await bearer('agent');
  });

  const api = () => request(w.app);
  const reply = (id: unknown, text: string, key?: string) => {
    const req = api().post(`/api/conversations/${String(id)}/replies`).set('Authorization', agent);
    return (key ? req.set('Idempotency-Key', key) : req).send({ text });
  };
  type Detail = { messages: { direction: string; delivery: { state: string; sentUrl: string } }[]; activity: { type: string; actor: string }[] };
  const detail = async (id: unknown): Promise<Detail> => ((await api().get(`/api/conversations/${String(id)}`).set('Authorization', agent).expect(200)).body as { data: Detail }).data;

  it('replies once on X however often the POST is retried with its Idempotency-Key; the SLA clock stops and the activity says who', async () => {
    const { conversation, tweet } = await customerMentions(w, 'my thermostat is broken');
    const first = await reply(conversation._id, '  Sorry Lena, we are on it!  ', 'retry-me-1').expect(202);
    assert.equal(first.body.data.delivery.state, 'queued');
    assert.equal(first.body.data.text, 'Sorry Lena, we are on it!');
    const again = await reply(conversation._id, 'Sorry Lena, we are on it!', 'retry-me-1').expect(202);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.body.data.id, first.body.data.id);
    await reply(conversation._id, 'something else', 'retry-me-1').expect(409);

    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => [p.text, p.inReplyToTweetId]), [['Sorry Lena, we are on it!', tweet.id]]);
    const shown = await detail(conversation._id);
    const outbound = shown.messages.filter((m) => m.direction === 'outbound');
    assert.deepEqual(outbound.map((m) => m.delivery.state), ['sent']);
    assert.match(outbound[0]?.delivery.sentUrl ?? '', /^https:\/\/x\.com\//);
    assert.deepEqual(shown.activity.map((a) => [a.type, a.actor]), [['replied', 'token:test-agent']]);
    const stored = await ConversationModel.findById(conversation._id).lean();
    assert.ok(stored?.firstResponseAt, 'first response time recorded');
    assert.ok(stored?.sla?.firstResponseAt, 'the first-response clock stopped');

    // without a key each POST is a reply of its own
    await reply(conversation._id, 'One more thing').expect(202);
    await reply(conversation._id, 'One more thing').expect(202);
    await w.runJobs();
    assert.equal(w.x.fake.createdPosts.length, 3);
  });

  it('notes, assigns, resolves, tags and reassigns like the card buttons, and the Slack card follows', async () => {
    const { conversation, card } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);
    const note = await api().post(`/api/conversations/${id}/notes`).set('Authorization', agent).send({ text: 'customer called twice' }).expect(201);
    assert.deepEqual([note.body.data.direction, note.body.data.delivery], ['note', null]);
    const assigned = await api().post(`/api/conversations/${id}/assign`).set('Authorization', agent).send({ assignee: 'me' }).expect(200);
    assert.equal(assigned.body.data.assignee.name, 'test-agent');
    await api().patch(`/api/conversations/${id}`).set('Authorization', agent).send({ productFeedback: true }).expect(200);
    const resolved = await api().patch(`/api/conversations/${id}`).set('Authorization', agent).send({ status: 'resolved' }).expect(200);
    assert.equal(resolved.body.data.status, 'resolved');
    // a second resolve changes nothing and records nothing
    await api().patch(`/api/conversations/${id}`).set('Authorization', agent).send({ status: 'resolved' }).expect(200);
    assert.match(JSON.stringify(w.slackApi.message(CHANNELS.support, card.ts)?.blocks), /Resolved · Assigned to test-agent · Marked as product feedback/);
    assert.ok((await ConversationModel.findById(id).lean())?.sla?.resolvedAt, 'the resolution clock stopped');

    await api().patch(`/api/conversations/${id}`).set('Authorization', agent).send({ department: 'sales', reason: 'wants a quote' }).expect(200);
    await w.runJobs();
    assert.equal(w.slackApi.messages(CHANNELS.sales).length, 1, 'a card in the new department');
    assert.match(JSON.stringify(w.slackApi.message(CHANNELS.support, card.ts)?.blocks), /Sales by test-agent/);
    assert.deepEqual((await RoutingEventModel.find({ conversationId: id, method: 'manual' }).lean()).map((e) => [e.to, e.actor]), [['sales', 'token:test-agent']]);

    const shown = await detail(id);
    assert.deepEqual(shown.activity.map((a) => a.type), ['note', 'assigned', 'feedback', 'resolved', 'reassigned']);
    assert.deepEqual(shown.messages.map((m) => m.direction), ['inbound', 'note']);
    assert.equal(w.x.fake.createdPosts.length, 0, 'a note never leaves');
    await api().post(`/api/conversations/${id}/assign`).set('Authorization', agent).send({ assignee: null }).expect(200);
    assert.equal((await ConversationModel.findById(id).lean())?.assignee, undefined);
  });

  it('refuses bad input with 4xx naming the field, and changes nothing', async () => {
    const { conversation } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);
    const field = (res: request.Response): string[] | undefined => (res.body as { error: { details?: { field: string }[] } }).error.details?.map((d) => d.field);
    assert.deepEqual(field(await reply(id, '   ').expect(400)), ['text']);
    const long = await reply(id, 'x'.repeat(281)).expect(400);
    assert.deepEqual(field(long), ['text']);
    assert.match(long.body.error.message, /281 characters; x allows at most 280/);
    assert.deepEqual(field(await reply(id, 'ok', 'has spaces in it').expect(400)), ['Idempotency-Key']);
    assert.deepEqual(field(await api().post(`/api/conversations/${id}/replies`).set('Authorization', agent).send({ text: 'hi', to: 'someone' }).expect(400)), ['(body)']);
    assert.deepEqual(field(await api().post(`/api/conversations/${id}/assign`).set('Authorization', agent).send({ assignee: { name: '' } }).expect(400)), ['assignee.name']);
    assert.deepEqual(field(await api().patch(`/api/conversations/${id}`).set('Authorization', agent).send({ status: 'closed' }).expect(400)), ['status']);
    const unknown = await reply('0123456789abcdef01234567', 'hello').expect(404);
    assert.deepEqual(unknown.body.error.details, [{ field: 'id', message: 'no such conversation' }]);
    await reply('not-an-id', 'hello').expect(404);
    await api().post(`/api/conversations/${id}/replies`).send({ text: 'hi' }).expect(401);
    await api().post(`/api/conversations/${id}/replies`).set('Authorization', await bearer('ingest')).send({ text: 'hi' }).expect(403);
    assert.equal(await MessageModel.countDocuments({ direction: { $ne: 'inbound' } }), 0);
    assert.deepEqual(w.jobs, []);
  });

  it('refuses a reply nothing can send (a webhook source without a reply URL) with 422; a note still works', async () => {
    const ingest = await bearer('ingest');
    const res = await api().post('/api/ingest').set('Authorization', ingest)
      .send({ source: 'shop', externalId: 'o-1', author: { name: 'Kai' }, text: 'where is my order?', createdAt: new Date().toISOString() }).expect(200);
    const id = res.body.results[0].conversationId;
    const refused = await reply(id, 'It ships today').expect(422);
    assert.equal(refused.body.error.code, 'channel_cannot_send');
    assert.match(refused.body.error.message, /webhook account "shop".*WEBHOOK_REPLY_URLS/);
    await api().post(`/api/conversations/${id}/notes`).set('Authorization', agent).send({ text: 'asked the warehouse' }).expect(201);
    assert.deepEqual((await MessageModel.find({ conversationId: id, direction: { $ne: 'inbound' } }).lean()).map((m) => m.direction), ['note']);
  });
});
