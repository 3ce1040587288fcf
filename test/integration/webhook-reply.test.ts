import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createWebhookReplyConnector } from '../../connectors/webhook/reply';
import { toInbound, webhookMessageSchema } from '../../connectors/webhook/schema';
import { ingestBatch } from '../../src/ingest/pipeline';
import { deliverReply } from '../../src/outbound/deliver';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { FakeReplyReceiver } from '../fakes/reply-receiver';
import { clearCollections, useTestDatabase } from '../support/database';
import { eventCallback, messageEvent } from '../support/slack-requests';
import { AGENT, startSlackWorld, type SlackWorld } from '../support/slack-world';

const SECRET = 'shop-reply-secret-0123456789';

describe('webhook conversations: an agent reply in Slack is POSTed, signed, to the source\'s reply URL', () => {
  useTestDatabase();
  let w: SlackWorld;
  let receiver: FakeReplyReceiver;
  beforeEach(async () => {
    await clearCollections();
    receiver = await new FakeReplyReceiver().listen();
    const shop = createWebhookReplyConnector({ source: 'shop', url: `${receiver.url}/switchboard/replies?tenant=7`, secret: SECRET });
    w = await startSlackWorld({ connectorFor: (channel, account) => (channel === 'webhook' && account === 'shop' ? shop : undefined) });
  });
  afterEach(async () => {
    await w.close();
    await receiver.close();
  });

  /** A customer writes through the shop's contact form (POST /api/ingest), and the card reaches Slack. */
  async function customerWrites(source: string, externalId: string, text: string) {
    const message = webhookMessageSchema.parse({ source, externalId, threadKey: `ticket-${externalId}`, author: { id: 'c-42', name: 'Lena' }, text, createdAt: new Date().toISOString() });
    const [result] = await ingestBatch([toInbound(message)], w.pipeline);
    await w.runJobs();
    const conversation = (await ConversationModel.findById(result?.conversationId).lean())!;
    return { conversation, channel: conversation.slack!.channel!, cardTs: conversation.slack!.ts! };
  }

  async function agentReplies(channel: string, cardTs: string, text: string) {
    const reply = w.slackApi.addMessage(channel, { user: AGENT.id, text, thread_ts: cardTs });
    const res = await w.postSigned(eventCallback({ event: messageEvent({ channel, user: AGENT.id, text, ts: reply.ts, thread_ts: cardTs }) }));
    assert.equal(res.status, 200);
    return reply;
  }

  it('sends the reply once with a signature the receiver can check, and links the receiver\'s copy in the thread', async () => {
    const { channel, cardTs } = await customerWrites('shop', 'f-1001', 'my thermostat is broken since the update');
    receiver.answerNext({ status: 201, body: { id: 'r-77', url: 'https://shop.example/tickets/1001#r-77' } });
    const reply = await agentReplies(channel, cardTs, 'Sorry Lena, a replacement is on its way.');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);

    assert.equal(receiver.received.length, 1);
    const [got] = receiver.received;
    const stored = await MessageModel.findOne({ direction: 'outbound' }).lean();
    assert.deepEqual(
      { ...got!.body, createdAt: undefined },
      { id: String(stored!._id), source: 'shop', threadKey: 'ticket-f-1001', kind: 'mention', inReplyTo: 'f-1001', recipientId: 'c-42', text: 'Sorry Lena, a replacement is on its way.', createdAt: undefined },
    );
    assert.equal(got!.headers['idempotency-key'], String(stored!._id));
    const timestamp = String(got!.headers['x-switchboard-timestamp']);
    assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 60, 'a current unix timestamp');
    const expected = `v1=${crypto.createHmac('sha256', SECRET).update(`${timestamp}.${got!.rawBody}`).digest('hex')}`;
    assert.equal(got!.headers['x-switchboard-signature'], expected);

    assert.equal(stored?.delivery?.state, 'sent');
    assert.equal(stored?.delivery?.sentExternalId, 'r-77');
    assert.deepEqual(w.slackApi.reactions(channel, reply.ts), ['white_check_mark']);
    assert.match(JSON.stringify(w.slackApi.thread(channel, cardTs)), /Posted as a reply: https:\/\/shop\.example\/tickets\/1001#r-77/);
    assert.ok((await ConversationModel.findById(stored?.conversationId).lean())?.firstResponseAt, 'first response time recorded');
  });

  it('retries a 503 with the same Idempotency-Key, waits for a 429\'s Retry-After, and is sent once', async () => {
    const { channel, cardTs } = await customerWrites('shop', 'f-1002', 'where is my parcel?');
    receiver.answerNext({ status: 503 }, { status: 429, headers: { 'retry-after': '30' } }, { status: 200 });
    await agentReplies(channel, cardTs, 'It left our warehouse today.');
    const [first] = await w.runJobs();
    assert.equal(first?.state, 'retry');
    const stored = await MessageModel.findOne({ direction: 'outbound' }).lean();
    const second = await deliverReply(stored!._id, w.delivery);
    assert.ok(second.state === 'retry' && second.retryAt.getTime() - Date.now() > 25_000, 'waits what the receiver asked');
    const third = await deliverReply(stored!._id, w.delivery);
    assert.equal(third.state, 'sent');
    assert.equal(receiver.received.length, 3);
    assert.deepEqual(new Set(receiver.received.map((r) => r.headers['idempotency-key'])), new Set([String(stored!._id)]), 'one key for every attempt');
    assert.deepEqual(new Set(receiver.received.map((r) => r.body.id)), new Set([String(stored!._id)]));
    assert.equal((await MessageModel.findById(stored!._id).lean())?.delivery?.sentExternalId, String(stored!._id), 'no id in the answer: ours');
  });

  it('shows a refusal in the thread and does not retry it', async () => {
    const { channel, cardTs } = await customerWrites('shop', 'f-1003', 'cancel my order please');
    receiver.answerNext({ status: 422, body: { error: 'ticket 1003 is closed' } });
    const reply = await agentReplies(channel, cardTs, 'Done, it is cancelled.');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['failed']);
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(w.slackApi.reactions(channel, reply.ts), ['x']);
    assert.match(JSON.stringify(w.slackApi.thread(channel, cardTs)), /Not sent to the customer: reply endpoint of \\"shop\\" refused it \(422\): .*ticket 1003 is closed/);
  });

  it('tells the agent when a source has no reply URL', async () => {
    const { channel, cardTs } = await customerWrites('forum', 'p-9', 'my thermostat is broken');
    await agentReplies(channel, cardTs, 'Which model is it?');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['failed']);
    assert.equal(receiver.received.length, 0);
    assert.match(JSON.stringify(w.slackApi.thread(channel, cardTs)), /nothing can send to the webhook account \\"forum\\": give the source a reply URL in WEBHOOK_REPLY_URLS/);
  });
});
