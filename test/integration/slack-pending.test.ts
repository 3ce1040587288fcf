import assert from 'node:assert/strict';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { PendingSlackReplyModel } from '../../src/store/models/pending-slack-reply';
import { SlackThreadModel } from '../../src/store/models/slack-thread';
import { PENDING_REPLY_WAIT_MS } from '../../src/slack/pending';
import { eventCallback, messageEvent } from '../support/slack-requests';
import { agentReplies, customerMentions } from '../support/slack-scenes';
import { AGENT, CHANNELS, type SlackWorld, useSlackWorld } from '../support/slack-world';

describe('Slack loop: an agent reply that comes before its card\'s thread is known', () => {
  const world = useSlackWorld();
  let w: SlackWorld;
  beforeEach(() => {
    w = world();
  });

  /** Slack took the card, but the process died before it stored the card's ts and thread. */
  async function cardWithoutThread() {
    const scene = await customerMentions(w, 'my thermostat is broken');
    await SlackThreadModel.deleteMany({});
    await ConversationModel.updateOne({ _id: scene.conversation._id }, { $unset: { slack: 1 } });
    return scene;
  }

  it('keeps the reply, then delivers it once on X when the card\'s thread is recorded', async () => {
    const { conversation, card, tweet } = await cardWithoutThread();
    const { event } = await agentReplies(w, card, CHANNELS.support, 'Sorry, we are on it');
    assert.equal((await w.postSigned(event, { retry: { num: 1, reason: 'http_timeout' } })).status, 200);
    assert.equal(w.jobs.length, 0, 'nothing to deliver yet');
    assert.equal(await PendingSlackReplyModel.countDocuments(), 1, 'kept once, though Slack sent it twice');

    // the card job runs again, finds its post by metadata and records the thread
    w.jobs.push({ kind: 'post-conversation', id: String(conversation._id) });
    await w.runJobs();
    assert.deepEqual(w.x.fake.createdPosts.map((p) => [p.text, p.inReplyToTweetId]), [['Sorry, we are on it', tweet.id]]);
    assert.equal(await PendingSlackReplyModel.countDocuments(), 0);

    // a late redelivery and the periodic sweep change nothing
    assert.equal((await w.postSigned(event, { retry: { num: 2, reason: 'http_timeout' } })).status, 200);
    await w.slack.sweepPendingReplies();
    await w.runJobs();
    assert.equal(w.x.fake.createdPosts.length, 1);
    assert.equal(await MessageModel.countDocuments({ direction: 'outbound' }), 1);
  });

  it('the periodic sweep delivers it once the thread is known some other way', async () => {
    const { conversation, card } = await cardWithoutThread();
    await agentReplies(w, card, CHANNELS.support, 'Checking now');
    await SlackThreadModel.create({ _id: `${CHANNELS.support}:${card.ts}`, conversationId: conversation._id });
    await w.slack.sweepPendingReplies();
    await w.runJobs();
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['Checking now']);
  });

  it('after the wait, says under a card that it was not sent (not under our other posts), and forgets it', async () => {
    const { card } = await cardWithoutThread();
    await agentReplies(w, card, CHANNELS.support, 'Will anyone see this?');
    // a thread under another post of ours (the product digest, say) is people talking
    const { botUserId, botId } = w.slackApi.identity;
    const digest = w.slackApi.state.add(CHANNELS.support, { user: botUserId, bot_id: botId, text: 'Product feedback this week' });
    await agentReplies(w, digest, CHANNELS.support, 'nice digest');
    assert.equal(await PendingSlackReplyModel.countDocuments(), 2);
    await w.slack.sweepPendingReplies(new Date(Date.now() + PENDING_REPLY_WAIT_MS - 60_000));
    assert.equal(await PendingSlackReplyModel.countDocuments(), 2, 'still waiting inside the bounded wait');
    await w.slack.sweepPendingReplies(new Date(Date.now() + PENDING_REPLY_WAIT_MS + 60_000));
    assert.equal(await PendingSlackReplyModel.countDocuments(), 0);
    const thread = w.slackApi.thread(CHANNELS.support, card.ts).filter((m) => m.bot_id);
    assert.equal(thread.length, 1);
    assert.equal(w.slackApi.thread(CHANNELS.support, digest.ts).filter((m) => m.bot_id).length, 0);
    assert.match(thread[0]?.text ?? '', new RegExp(`<@${AGENT.id}> this reply was not sent to the customer`));
    assert.equal(w.x.fake.createdPosts.length, 0);
  });

  it('ignores a reply in a thread under someone else\'s message', async () => {
    const parent = w.slackApi.addMessage(CHANNELS.support, { user: 'U0OTHER01', text: 'lunch?' });
    const reply = w.slackApi.addMessage(CHANNELS.support, { user: AGENT.id, text: 'yes', thread_ts: parent.ts });
    const event = eventCallback({ event: messageEvent({ channel: CHANNELS.support, user: AGENT.id, text: 'yes', ts: reply.ts, thread_ts: parent.ts, parent_user_id: 'U0OTHER01' }) });
    assert.equal((await w.postSigned(event)).status, 200);
    assert.equal(await PendingSlackReplyModel.countDocuments(), 0);
    assert.equal(await MessageModel.countDocuments({ direction: { $ne: 'inbound' } }), 0);
  });
});
