import assert from 'node:assert/strict';
import { ingestBatch } from '../../src/ingest/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { DEFAULT_APP_TOKEN } from '../fakes/slack-socket';
import { clearCollections, useTestDatabase } from '../support/database';
import { eventCallback, messageEvent } from '../support/slack-requests';
import { AGENT, CHANNELS, startSlackWorld, type SlackWorld } from '../support/slack-world';

/** Bolt acks an Events API envelope before its listeners run, so wait for what the listener does. */
async function until(done: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const start = Date.now(); !done(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
  }
}

describe('Slack in Socket Mode (installs without a public URL)', () => {
  useTestDatabase();
  let w: SlackWorld;
  beforeEach(async () => {
    await clearCollections();
    w = await startSlackWorld({}, { socketMode: true, appToken: DEFAULT_APP_TOKEN, signingSecret: undefined });
    await w.slack.start();
  });
  afterEach(async () => {
    await w.slack.stop();
    await w.close();
  });

  it('connects with the app-level token and mounts no HTTP route', () => {
    assert.equal(w.slack.router, undefined);
    const opens = w.slackApi.callsTo('apps.connections.open');
    assert.deepEqual(opens.map((c) => [c.token, c.status, c.error]), [[DEFAULT_APP_TOKEN, 200, undefined]]);
  });

  it('turns an agent thread reply delivered over the socket into exactly one X reply, and acks the envelope', async () => {
    const customer = w.x.fake.addUser('lena_b', 'Lena');
    const tweet = w.x.fake.addMention({ from: customer, text: '@kestrelhome my thermostat is broken' });
    const [result] = await ingestBatch((await w.x.connector.pull(null)).messages, w.pipeline);
    await w.runJobs();
    const conversation = await ConversationModel.findById(result?.conversationId).lean();
    assert.equal(conversation?.slack?.channel, CHANNELS.support);
    const card = w.slackApi.messages(CHANNELS.support)[0]!;

    const text = 'Sorry Lena, we are on it!';
    const reply = w.slackApi.addMessage(CHANNELS.support, { user: AGENT.id, text, thread_ts: card.ts });
    await w.slackApi.sendSocketEvent(eventCallback({ event: messageEvent({ channel: CHANNELS.support, user: AGENT.id, text, ts: reply.ts, thread_ts: card.ts }) }));
    assert.deepEqual(w.slackApi.socket.acks.map((a) => Object.keys(a).sort()), [['envelope_id', 'payload']], 'the envelope was acked');

    await until(() => w.jobs.length > 0);
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => [p.text, p.inReplyToTweetId]), [[text, tweet.id]]);
  });

  it('refuses apps.connections.open with the bot token', async () => {
    const error = await w.slack.client.apiCall('apps.connections.open', { token: w.slackApi.identity.token }).then(() => undefined, (err: { data?: { error?: string } }) => err.data?.error);
    assert.equal(error, 'invalid_auth');
  });
});
