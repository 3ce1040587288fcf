import assert from 'node:assert/strict';
import { MessageModel } from '../../src/store/models/message';
import { agentReplies, customerMentions } from '../support/slack-scenes';
import { CHANNELS, type SlackWorld, useSlackWorld } from '../support/slack-world';

const TWEETS = 'POST /2/tweets';

describe('Slack loop: a delivery outcome is what X did, whatever Slack does afterwards', () => {
  const world = useSlackWorld();
  let w: SlackWorld;
  beforeEach(() => {
    w = world();
  });

  /** Runs the report jobs that failed again, as agenda would after its backoff. */
  async function retryFailedJobs() {
    const again = w.failedJobs.splice(0);
    w.jobs.push(...again.map(({ kind, id }) => ({ kind, id })));
    await w.runJobs();
  }

  const threadLines = (cardTs: string) => w.slackApi.thread(CHANNELS.support, cardTs).filter((m) => m.bot_id).map((m) => m.text);

  it('keeps a reply X accepted `sent` when reactions.add gets 429, and reacts once after the retry', async () => {
    const { card } = await customerMentions(w, 'my thermostat is broken');
    w.slackApi.failNext('reactions.add', { status: 429, retryAfter: 3 });
    const { reply } = await agentReplies(w, card, CHANNELS.support, 'We are on it');
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.equal(w.failedJobs.length, 1, 'the report job failed and will be retried');
    const stored = await MessageModel.findOne({ direction: 'outbound' }).lean();
    assert.equal(stored?.delivery?.state, 'sent');
    assert.deepEqual(threadLines(card.ts), [], 'nothing said in the thread yet, certainly not "Not sent"');

    await retryFailedJobs();
    assert.equal(w.failedJobs.length, 0);
    assert.equal(w.x.fake.createdPosts.length, 1, 'one post on X');
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, reply.ts), ['white_check_mark']);
    assert.equal(threadLines(card.ts).length, 1);
    assert.match(threadLines(card.ts)[0] ?? '', /^Posted as a reply: https:\/\/x\.com\//);
    assert.equal((await MessageModel.findById(stored?._id).lean())?.delivery?.state, 'sent');
  });

  it('keeps the reply `sent` when the thread line fails (channel_not_found, not_in_channel), and posts the line once', async () => {
    const { card } = await customerMentions(w, 'my thermostat is broken');
    const { reply } = await agentReplies(w, card, CHANNELS.support, 'Fixed on our side');
    w.slackApi.failNext('chat.postMessage', { error: 'channel_not_found' });
    await w.runJobs();
    assert.equal(w.failedJobs.length, 1);
    assert.equal((await MessageModel.findOne({ direction: 'outbound' }).lean())?.delivery?.state, 'sent');
    w.slackApi.failNext('chat.postMessage', { error: 'not_in_channel' });
    await retryFailedJobs();
    assert.equal(w.failedJobs.length, 1);
    await retryFailedJobs();
    assert.equal(w.failedJobs.length, 0);

    // the process died after Slack took the line but before its ts was stored: the next run finds it by its metadata
    const stored = await MessageModel.findOne({ direction: 'outbound' }).lean();
    await MessageModel.updateOne({ _id: stored?._id }, { $unset: { 'delivery.report.lineTs': 1 } });
    w.jobs.push({ kind: 'report', id: String(stored?._id) });
    await w.runJobs();

    assert.equal(w.x.fake.createdPosts.length, 1);
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, reply.ts), ['white_check_mark'], 'reacted once, not again on the retries');
    assert.equal(threadLines(card.ts).length, 1, 'the line is posted once');
    assert.equal((await MessageModel.findById(stored?._id).lean())?.delivery?.state, 'sent');
  });

  it('still posts the line when the agent deleted their message (reactions.add: message_not_found)', async () => {
    const { card } = await customerMentions(w, 'my thermostat is broken');
    await agentReplies(w, card, CHANNELS.support, 'Sent you a new one');
    w.slackApi.failNext('reactions.add', { error: 'message_not_found' });
    await w.runJobs();
    assert.equal(w.failedJobs.length, 0, 'nothing left to retry: there is nothing to react to');
    assert.match(threadLines(card.ts)[0] ?? '', /^Posted as a reply: /);
  });

  it('still reports a failure in the thread: ❌ and the reason', async () => {
    const { card } = await customerMentions(w, 'my thermostat is broken');
    const { reply } = await agentReplies(w, card, CHANNELS.support, 'a'.repeat(281));
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['failed']);
    assert.equal(w.x.fake.requestsTo(TWEETS).length, 0);
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, reply.ts), ['x']);
    assert.match(threadLines(card.ts)[0] ?? '', /^Not sent to the customer: .*281 characters/);
  });
});
