import assert from 'node:assert/strict';
import { ingestBatch } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { clearCollections, useTestDatabase } from '../support/database';
import { withoutJoiners } from '../support/mrkdwn';
import { agentReplies } from '../support/slack-scenes';
import { CHANNELS, startSlackWorld, type SlackWorld } from '../support/slack-world';
import { chat, mention, startBlueskyWorld, type BlueskyWorld } from '../connectors/bluesky-setup';

/** Bluesky through the same pipeline, Slack cards and exactly-once delivery as X. */
describe('Slack loop on Bluesky: a mention or chat in → a card → the agent\'s answer out once', () => {
  useTestDatabase();
  let w: SlackWorld;
  let b: BlueskyWorld;
  beforeEach(async () => {
    await clearCollections();
    b = await startBlueskyWorld();
    w = await startSlackWorld({ connectorFor: (channel, account) => (channel === 'bluesky' && account === 'acct-bsky-1' ? b.connector : undefined) });
  });
  afterEach(async () => {
    await w.close();
    await b.fake.close();
  });

  async function pollBoth() {
    const messages = [...(await b.connector.pullTimeline('notifications', {})).messages, ...(await b.connector.pullTimeline('chat', {})).messages];
    const results = await ingestBatch(messages, w.pipeline);
    await w.runJobs();
    return results;
  }
  const ours = () => [...b.fake.state.posts.values()].filter((p) => p.author.did === b.fake.me.did);

  it('a mention becomes a conversation and a card in its department; the agent\'s reply goes out once as a threaded reply post', async () => {
    const root = mention(b, 'my thermostat is broken since the update');
    const [result] = await pollBoth();
    const conversation = await ConversationModel.findById(result?.conversationId).lean();
    assert.deepEqual([conversation?.channel, conversation?.threadKey, conversation?.slack?.channel], ['bluesky', root.uri, CHANNELS.support]);
    const card = w.slackApi.messages(CHANNELS.support)[0]!;
    const blocks = withoutJoiners(JSON.stringify(card.blocks));
    assert.match(blocks, /\*Bluesky mention\* from <https:\/\/bsky\.app\/profile\/anna\.bsky\.social\|Anna K/);
    assert.match(blocks, /my thermostat is broken since the update/);
    assert.match(blocks, /@anna\.bsky\.social/);

    const { event } = await agentReplies(w, card, CHANNELS.support, 'Sorry Anna, a technician comes on Monday.');
    await w.postSigned(event, { retry: { num: 1, reason: 'http_timeout' } });
    const job = w.jobs.find((j) => j.kind === 'deliver')!;
    w.jobs.push({ ...job });
    const outcomes = await w.runJobs();
    assert.deepEqual(outcomes.map((o) => o.state), ['sent', 'done']);
    assert.equal(ours().length, 1, 'one post, however often the event and job came');
    assert.deepEqual(ours()[0]?.record.reply, { root: { uri: root.uri, cid: root.cid }, parent: { uri: root.uri, cid: root.cid } });
    const sent = await MessageModel.findOne({ direction: 'outbound' }).lean();
    assert.equal(sent?.delivery?.sentExternalId, ours()[0]?.uri);
    assert.ok((await ConversationModel.findById(result?.conversationId).lean())?.firstResponseAt, 'the SLA clock heard the answer');
  });

  it('a chat message becomes a DM card; the answer goes into the same convo', async () => {
    const { convo } = chat(b, 'hello, I need a quote for 40 units, price?');
    await pollBoth();
    const card = w.slackApi.messages(CHANNELS.sales)[0];
    assert.match(JSON.stringify(card?.blocks), /Bluesky DM/);
    await agentReplies(w, card!, CHANNELS.sales, 'Happy to send one, Anna.');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(convo.messages.map((m) => [m.sender, m.text]).at(-1), [b.fake.me.did, 'Happy to send one, Anna.']);
    assert.equal(ours().length, 0);
  });

  it('createRecord answers 500 after writing: the retry finds the post and posts nothing twice', async () => {
    mention(b, 'my thermostat is broken');
    await pollBoth();
    const card = w.slackApi.messages(CHANNELS.support)[0]!;
    await agentReplies(w, card, CHANNELS.support, 'We are on it.');
    b.fake.failNext('com.atproto.repo.createRecord', { status: 500, afterAccepting: true });
    const [first] = await w.runJobs();
    assert.equal(first?.state, 'retry');
    const sent = await MessageModel.findOne({ direction: 'outbound' }).lean();
    w.jobs.push({ kind: 'deliver', id: String(sent?._id) });
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.equal(ours().length, 1);
    assert.equal(b.fake.count('com.atproto.repo.createRecord'), 1);
    assert.equal((await MessageModel.findById(sent?._id).lean())?.delivery?.sentExternalId, ours()[0]?.uri);
  });

  it('a reply over 300 graphemes fails at once with the reason, and nothing is posted', async () => {
    mention(b, 'my thermostat is broken');
    await pollBoth();
    const card = w.slackApi.messages(CHANNELS.support)[0]!;
    await agentReplies(w, card, CHANNELS.support, 'x'.repeat(301));
    const [outcome] = await w.runJobs();
    assert.equal(outcome?.state, 'failed');
    assert.match(outcome?.state === 'failed' ? outcome.reason : '', /301 characters; Bluesky allows at most 300/);
    assert.equal(ours().length, 0);
  });
});
