import assert from 'node:assert/strict';
import { ingestBatch } from '../../src/ingest/pipeline';
import { slackBackoff } from '../../src/jobs/outbox';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { TrainingExampleModel } from '../../src/store/models/training-example';
import { clearCollections, useTestDatabase } from '../support/database';
import { blockActionsPayload, eventCallback, messageEvent, retryHeaders } from '../support/slack-requests';
import { AGENT, CHANNELS, startSlackWorld, TRIAGE_CHANNEL, type SlackWorld } from '../support/slack-world';
import { withoutJoiners } from '../support/mrkdwn';

const TWEETS = 'POST /2/tweets';

describe('Slack loop: department channel → agent reply in the thread → one reply on X', () => {
  useTestDatabase();
  let w: SlackWorld;
  beforeEach(async () => {
    await clearCollections();
    w = await startSlackWorld();
  });
  afterEach(() => w.close());

  /** A customer mentions the account on X; we pull it, route it and run the outbox. */
  async function customerMentions(text: string) {
    const customer = w.x.fake.addUser('lena_b', 'Lena <@U999> B');
    const tweet = w.x.fake.addMention({ from: customer, text: `@kestrelhome ${text}` });
    const pulled = await w.x.connector.pull(null);
    const [result] = await ingestBatch(pulled.messages, w.pipeline);
    await w.runJobs();
    const conversation = await ConversationModel.findById(result?.conversationId).lean();
    return { tweet, conversation: conversation!, card: w.slackApi.messages(conversation?.slack?.channel ?? '')[0]! };
  }

  /** The agent writes in the card's thread; Slack sends us the signed event. */
  async function agentReplies(card: { ts: string }, channel: string, text: string) {
    const reply = w.slackApi.addMessage(channel, { user: AGENT.id, text, thread_ts: card.ts });
    const event = eventCallback({ event: messageEvent({ channel, user: AGENT.id, text, ts: reply.ts, thread_ts: card.ts }) });
    const res = await w.postSigned(event);
    assert.equal(res.status, 200);
    return { reply, event };
  }

  it('posts a new conversation to its department channel with the customer, text, confidence and buttons', async () => {
    const { conversation, card } = await customerMentions('my thermostat is broken since the update');
    assert.equal(conversation.slack?.channel, CHANNELS.support);
    assert.equal(card.ts, conversation.slack?.ts);
    const blocks = withoutJoiners(JSON.stringify(card.blocks));
    assert.match(blocks, /my thermostat is broken since the update/);
    assert.match(blocks, /@lena_b/);
    assert.match(blocks, /90% confident/);
    assert.match(blocks, /first response due <!date\^/);
    for (const action of ['sb_assign_me', 'sb_reassign', 'sb_resolve', 'sb_feedback']) assert.match(blocks, new RegExp(action));
    assert.equal(w.slackApi.messages(CHANNELS.sales).length, 0);
  });

  it('retries a rate-limited card post after Slack\'s Retry-After, and never posts a card twice', async () => {
    w.slackApi.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const customer = w.x.fake.addUser('kim', 'Kim');
    w.x.fake.addMention({ from: customer, text: '@kestrelhome my thermostat is broken' });
    const [result] = await ingestBatch((await w.x.connector.pull(null)).messages, w.pipeline);
    const id = result!.conversationId;
    const error = await w.slack.notifier.postConversation(id).then(() => null, (err: Error) => err);
    assert.ok(error, 'the 429 reaches the job');
    assert.equal(slackBackoff({ attempt: 1, error }), 7000, 'the job waits what Slack asked');
    assert.equal(await w.slack.notifier.postConversation(id), 'posted');

    // the process died after Slack took the post but before we stored its ts
    await ConversationModel.updateOne({ _id: id }, { $unset: { slack: 1 } });
    assert.equal(await w.slack.notifier.postConversation(id), 'posted');
    assert.equal(w.slackApi.messages(CHANNELS.support).length, 1, 'found by its metadata, not posted again');
    assert.equal((await ConversationModel.findById(id).lean())?.slack?.ts, w.slackApi.messages(CHANNELS.support)[0]?.ts);
  });

  it('shows customer text with <!channel> and <@U123> as text, never as a ping or mention', async () => {
    const { card } = await customerMentions('broken! <!channel> <@U0AGENT01> *bold* <https://evil.example|click>');
    const blocks = card.blocks as Array<{ type: string; text?: { type: string; text: string } }>;
    const body = blocks.find((b) => b.text?.text.includes('broken!'));
    assert.equal(body?.text?.type, 'plain_text', 'customer words go in a plain_text block');
    const mrkdwn = blocks.filter((b) => b.text?.type === 'mrkdwn').map((b) => b.text?.text).join('\n') + JSON.stringify(card.text);
    assert.doesNotMatch(mrkdwn, /<!channel>|<@U/, 'no mention can form in our mrkdwn');
    assert.match(withoutJoiners(JSON.stringify(blocks)), /Lena &lt;@U999&gt; B/, "the customer's name is escaped too");
  });

  it('sends an unsure conversation to the triage channel and posts follow-ups in the thread', async () => {
    const customer = w.x.fake.addUser('max_m', 'Max');
    const first = w.x.fake.addMention({ from: customer, text: '@kestrelhome maybe later' });
    await ingestBatch((await w.x.connector.pull(null)).messages, w.pipeline);
    await w.runJobs();
    const [card] = w.slackApi.messages(TRIAGE_CHANNEL);
    assert.ok(card);
    w.x.fake.addMention({ from: customer, text: '@kestrelhome hello? anyone?', inReplyTo: first.id });
    await ingestBatch((await w.x.connector.pull({ mentionsSinceId: first.id })).messages, w.pipeline);
    await w.runJobs();
    const thread = w.slackApi.thread(TRIAGE_CHANNEL, card.ts);
    assert.equal(thread.length, 1);
    assert.match(JSON.stringify(thread[0]?.blocks), /hello\? anyone\?/);
  });

  it("posts a batch's follow-ups in the thread in the order the customer wrote them, whatever order the channel listed them in", async () => {
    const at = Date.now() - 60_000;
    const message = (externalId: string, text: string, seconds: number) =>
      ({ channel: 'webhook', account: 'shop', externalId, threadKey: 'order-77', kind: 'mention' as const, author: { handle: '@ola' }, text, createdAt: new Date(at + seconds * 1000) });
    await ingestBatch([message('o1', 'my thermostat is broken', 0)], w.pipeline);
    await w.runJobs();
    const c = (await ConversationModel.findOne({ threadKey: 'order-77' }).lean())!;
    // newest first, as X, Bluesky and some webhooks list them
    await ingestBatch([message('o4', 'third: it is getting cold', 30), message('o3', 'second: I restarted it', 20), message('o2', 'first: the display is blank', 10)], w.pipeline);
    await w.runJobs();
    const lines = w.slackApi.thread(c.slack!.channel!, c.slack!.ts!).map((m) => /(first|second|third):/.exec(JSON.stringify(m.blocks))?.[1]);
    assert.deepEqual(lines, ['first', 'second', 'third']);
  });

  it('turns an agent reply into exactly one X reply, even when Slack redelivers the event and the job runs twice', async () => {
    const { tweet, card } = await customerMentions('my thermostat is broken');
    const { event } = await agentReplies(card, CHANNELS.support, 'Sorry Lena, we are on it!');
    const again = await w.postSigned(event, { retry: { num: 1, reason: 'http_timeout' } });
    assert.equal(again.status, 200);
    assert.deepEqual(w.jobs.map((j) => j.kind), ['deliver'], 'the redelivered event queues nothing');
    const job = w.jobs[0]!;
    w.jobs.push({ ...job });
    const outcomes = await w.runJobs();
    assert.deepEqual(outcomes.map((o) => o.state), ['sent', 'done']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => [p.text, p.inReplyToTweetId]), [['Sorry Lena, we are on it!', tweet.id]]);

    const sent = await MessageModel.findOne({ direction: 'outbound' }).lean();
    assert.equal(sent?.delivery?.state, 'sent');
    assert.equal(sent?.delivery?.sentExternalId, w.x.fake.createdPosts[0]?.id);
    const conversation = await ConversationModel.findById(sent?.conversationId).lean();
    assert.ok(conversation?.firstResponseAt, 'first response time recorded');
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, sent.slack!.ts!), ['white_check_mark']);
    assert.match(JSON.stringify(w.slackApi.thread(CHANNELS.support, card.ts)), /Posted as a reply: https:\/\/x\.com\//);
  });

  it('answers a DM conversation with a DM to the customer', async () => {
    const customer = w.x.fake.addUser('jo_dm', 'Jo');
    w.x.fake.addDm({ from: customer, text: 'my thermostat is broken, can you help?' });
    await ingestBatch((await w.x.connector.pull(null)).messages, w.pipeline);
    await w.runJobs();
    const [card] = w.slackApi.messages(CHANNELS.support);
    assert.match(JSON.stringify(card?.blocks), /X DM/);
    await agentReplies(card!, CHANNELS.support, 'Happy to help, Jo');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.sentDms.map((d) => [d.text, d.participantId]), [['Happy to help, Jo', customer.id]]);
    assert.equal(w.x.fake.createdPosts.length, 0);
  });

  it('posts once when X accepted the reply but the answer was lost', async () => {
    const { card } = await customerMentions('my thermostat is broken');
    w.x.fake.failNext(TWEETS, { status: 'drop', afterAccepting: true });
    await agentReplies(card, CHANNELS.support, 'We will call you today.');
    const [first] = await w.runJobs();
    assert.equal(first?.state, 'retry');
    const message = await MessageModel.findOne({ direction: 'outbound' }).lean();
    w.jobs.push({ kind: 'deliver', id: String(message?._id) });
    const [second] = await w.runJobs();
    assert.equal(second?.state, 'sent');
    assert.equal(w.x.fake.createdPosts.length, 1);
    assert.equal((await MessageModel.findById(message?._id).lean())?.delivery?.sentExternalId, w.x.fake.createdPosts[0]?.id);
  });

  it('waits for the rate-limit reset after a 429, then sends', async () => {
    const { card } = await customerMentions('my thermostat is broken');
    const resetAt = Math.floor(Date.now() / 1000) + 120;
    w.x.fake.failNext(TWEETS, { status: 429, resetAt });
    await agentReplies(card, CHANNELS.support, 'On it');
    const [limited] = await w.runJobs();
    assert.deepEqual(limited, { state: 'retry', retryAt: new Date(resetAt * 1000) });
    const message = await MessageModel.findOne({ direction: 'outbound' }).lean();
    w.jobs.push({ kind: 'deliver', id: String(message?._id) });
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.equal(w.x.fake.createdPosts.length, 1);
  });

  it('marks a reply failed after the last attempt and says why in the thread', async () => {
    const { card } = await customerMentions('my thermostat is broken');
    w.x.fake.failNext(TWEETS, { status: 503, times: 3 });
    await agentReplies(card, CHANNELS.support, 'Checking');
    const id = String((await MessageModel.findOne({ direction: 'outbound' }).lean())?._id);
    const states = [(await w.runJobs())[0]?.state];
    for (let i = 0; i < 2; i++) {
      w.jobs.push({ kind: 'deliver', id });
      states.push((await w.runJobs())[0]?.state);
    }
    assert.deepEqual(states, ['retry', 'retry', 'failed']);
    assert.equal(w.x.fake.createdPosts.length, 0);
    const thread = JSON.stringify(w.slackApi.thread(CHANNELS.support, card.ts));
    assert.match(thread, /Not sent to the customer: gave up after 3 attempts/);
  });

  it('refuses a reply longer than X allows in the thread, without cutting or sending it', async () => {
    const { card } = await customerMentions('my thermostat is broken');
    await agentReplies(card, CHANNELS.support, 'a'.repeat(281));
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['failed']);
    assert.equal(w.x.fake.requestsTo(TWEETS).length, 0);
    assert.match(JSON.stringify(w.slackApi.thread(CHANNELS.support, card.ts)), /Not sent to the customer: .*281 characters; X allows at most 280/);
  });

  it('keeps "note:" messages internal', async () => {
    const { card } = await customerMentions('my thermostat is broken');
    await agentReplies(card, CHANNELS.support, 'note: customer called twice already');
    assert.deepEqual(w.jobs, []);
    await w.runJobs();
    assert.equal(w.x.fake.requestsTo(TWEETS).length, 0);
    const note = await MessageModel.findOne({ direction: 'note' }).lean();
    assert.equal(note?.text, 'customer called twice already');
  });

  it('reassigns from Slack: a card in the new channel, the old one says where it went, a training example', async () => {
    const { conversation, card } = await customerMentions('my thermostat is broken');
    const payload = blockActionsPayload({
      user: AGENT.id, channel: CHANNELS.support, messageTs: card.ts, actionId: 'sb_reassign',
      selectedOption: { value: `${String(conversation._id)}|sales` }, responseUrl: 'http://127.0.0.1:9/unused',
    });
    assert.equal((await w.postSigned(payload)).status, 200);
    await w.runJobs();
    const moved = await ConversationModel.findById(conversation._id).lean();
    assert.deepEqual([moved?.department, moved?.slack?.channel], ['sales', CHANNELS.sales]);
    assert.match(JSON.stringify(w.slackApi.message(CHANNELS.support, card.ts)?.blocks), /Moved to Sales by Anna Agent/);
    assert.equal(w.slackApi.messages(CHANNELS.sales).length, 1);
    const event = await RoutingEventModel.findOne({ method: 'manual' }).lean();
    assert.deepEqual([event?.from, event?.to, event?.actor], ['support', 'sales', `slack:${AGENT.id}`]);
    assert.equal((await TrainingExampleModel.findOne().lean())?.label, 'sales');
  });

  it('assigns, tags as product feedback and resolves from the card, each recorded with who did it', async () => {
    const { conversation, card } = await customerMentions('my thermostat is broken');
    const click = (actionId: string) =>
      w.postSigned(blockActionsPayload({ user: AGENT.id, channel: CHANNELS.support, messageTs: card.ts, actionId, value: String(conversation._id), responseUrl: 'http://127.0.0.1:9/unused' }));
    for (const action of ['sb_assign_me', 'sb_feedback', 'sb_resolve']) assert.equal((await click(action)).status, 200);
    const after = await ConversationModel.findById(conversation._id).lean();
    assert.deepEqual([after?.assignee?.name, after?.productFeedback, after?.status], ['Anna Agent', true, 'resolved']);
    const shown = JSON.stringify(w.slackApi.message(CHANNELS.support, card.ts)?.blocks);
    assert.match(shown, /Resolved · Assigned to Anna Agent · Marked as product feedback/);
  });

  it('refuses unsigned and stale requests with 401 and changes nothing', async () => {
    const { card } = await customerMentions('my thermostat is broken');
    const reply = w.slackApi.addMessage(CHANNELS.support, { user: AGENT.id, text: 'hi', thread_ts: card.ts });
    const event = eventCallback({ event: messageEvent({ channel: CHANNELS.support, user: AGENT.id, text: 'hi', ts: reply.ts, thread_ts: card.ts }) });
    const stale = await w.postSigned(event, { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 });
    assert.equal(stale.status, 401);
    const { default: request } = await import('supertest');
    const unsigned = await request(w.app).post('/slack/events').set('content-type', 'application/json').set(retryHeaders(0)).send(JSON.stringify(event));
    assert.equal(unsigned.status, 401);
    assert.equal(await MessageModel.countDocuments({ direction: { $ne: 'inbound' } }), 0);
    assert.deepEqual(w.jobs, []);
  });
});
