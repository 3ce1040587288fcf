import assert from 'node:assert/strict';
import { ingestBatch } from '../../src/ingest/pipeline';
import { messageIdFor } from '../../src/store/ids';
import { MessageModel } from '../../src/store/models/message';
import { blockActionsPayload } from '../support/slack-requests';
import { agentReplies, customerMentions } from '../support/slack-scenes';
import { AGENT, CHANNELS, type SlackWorld, useSlackWorld } from '../support/slack-world';

const TWEETS = 'POST /2/tweets';

describe('Slack loop: a reply X will not take (its author did not mention us) → the agent chooses another way', () => {
  const world = useSlackWorld();
  let w: SlackWorld;
  beforeEach(() => {
    w = world();
  });

  /** A first exchange, then the customer answers our reply without @mentioning us (X lists it as a mention anyway). */
  async function followUpWithoutMention() {
    const scene = await customerMentions(w, 'my thermostat is broken');
    await agentReplies(w, scene.card, CHANNELS.support, 'Have you tried a restart?');
    await w.runJobs();
    const ours = w.x.fake.createdPosts[0]!;
    const followUp = w.x.fake.addMention({ from: scene.customer, text: 'yes, still broken', inReplyTo: ours.id });
    await ingestBatch((await w.x.connector.pull({ mentionsSinceId: scene.tweet.id })).messages, w.pipeline);
    await w.runJobs();
    return { ...scene, followUp };
  }

  async function refusedReply(card: { ts: string }, text: string) {
    const { reply } = await agentReplies(w, card, CHANNELS.support, text);
    const outcomes = await w.runJobs();
    const stored = await MessageModel.findOne({ 'slack.ts': reply.ts }).lean();
    return { reply, outcomes, stored: stored! };
  }

  const press = (actionId: string, replyId: string, messageTs: string) =>
    w.postSigned(blockActionsPayload({ user: AGENT.id, channel: CHANNELS.support, messageTs, actionId, value: replyId, responseUrl: 'http://127.0.0.1:9/unused' }));

  it('knows from the stored post that X would refuse, asks in the thread, and sends one DM however often the buttons are pressed', async () => {
    const { card, customer, followUp } = await followUpWithoutMention();
    const stored = await MessageModel.findById(messageIdFor({ channel: 'x', account: 'acct-x-1', externalId: followUp.id })).lean();
    assert.equal(stored?.mentionsAccount, false, 'the follow-up is kept as not mentioning us');
    const before = w.x.fake.requestsTo(TWEETS).length;

    const { reply, outcomes, stored: refused } = await refusedReply(card, 'A technician will call you today');
    assert.deepEqual(outcomes.map((o) => o.state), ['failed']);
    assert.equal(w.x.fake.requestsTo(TWEETS).length, before, 'X was not asked: it would have refused');
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, reply.ts), [], 'no ❌: nothing is wrong with the reply itself');
    const choice = w.slackApi.message(CHANNELS.support, refused.delivery!.report!.lineTs!);
    assert.match(choice?.text ?? '', /Not sent: X lets us reply to a post only when its author mentioned our account/);
    const buttons = JSON.stringify(choice?.blocks);
    assert.match(buttons, /Answer by DM/);
    assert.match(buttons, /Post as a new post mentioning @lena_b/);

    for (const action of ['sb_reply_by_dm', 'sb_reply_by_dm', 'sb_reply_as_post']) {
      assert.equal((await press(action, String(refused._id), choice!.ts)).status, 200);
    }
    await w.runJobs();
    assert.deepEqual(w.x.fake.sentDms.map((d) => [d.text, d.participantId]), [['A technician will call you today', customer.id]]);
    assert.equal(w.x.fake.requestsTo(TWEETS).length, before, 'no post either');
    assert.match(w.slackApi.message(CHANNELS.support, choice!.ts)?.text ?? '', /Anna Agent chose to send it as a direct message/);
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, reply.ts), ['white_check_mark']);
    assert.ok(w.slackApi.thread(CHANNELS.support, card.ts).some((m) => /^Sent as a direct message/.test(m.text)));
  });

  it('when X itself refuses the reply (403), offers the same choice; a new post mentioning the customer goes out once', async () => {
    const { card, followUp } = await followUpWithoutMention();
    // stored before Switchboard kept this: unknown, so X is asked and answers like the real API
    await MessageModel.updateOne({ _id: messageIdFor({ channel: 'x', account: 'acct-x-1', externalId: followUp.id }) }, { $unset: { mentionsAccount: 1 } });

    const { outcomes, stored: refused } = await refusedReply(card, 'Sorry, we will replace it');
    assert.deepEqual(outcomes.map((o) => o.state), ['failed']);
    const [asked] = w.x.fake.requestsTo(TWEETS).slice(-1);
    assert.deepEqual(asked?.body, { text: 'Sorry, we will replace it', reply: { in_reply_to_tweet_id: followUp.id } });
    assert.equal(refused.delivery?.refusal, 'reply_not_allowed');
    assert.match(refused.delivery?.lastError ?? '', /not been mentioned or otherwise engaged/);
    const choiceTs = refused.delivery.report!.lineTs!;
    assert.match(JSON.stringify(w.slackApi.message(CHANNELS.support, choiceTs)?.blocks), /Post as a new post mentioning @lena_b/);

    const posts = w.x.fake.createdPosts.length;
    for (let i = 0; i < 2; i++) assert.equal((await press('sb_reply_as_post', String(refused._id), choiceTs)).status, 200);
    await w.runJobs();
    assert.deepEqual(w.x.fake.createdPosts.slice(posts).map((p) => [p.text, p.inReplyToTweetId]), [['@lena_b Sorry, we will replace it', undefined]]);
    assert.equal(w.x.fake.sentDms.length, 0);
    assert.ok(w.slackApi.thread(CHANNELS.support, card.ts).some((m) => /^Posted as a new post: https:\/\/x\.com\//.test(m.text)));
  });

  it('a button for a reply that was not refused does nothing', async () => {
    const { card } = await customerMentions(w, 'my thermostat is broken');
    const { reply } = await agentReplies(w, card, CHANNELS.support, 'On it');
    await w.runJobs();
    const sent = await MessageModel.findOne({ 'slack.ts': reply.ts }).lean();
    assert.equal((await press('sb_reply_by_dm', String(sent?._id), card.ts)).status, 200);
    assert.equal((await press('sb_reply_by_dm', 'not-an-id', card.ts)).status, 200);
    await w.runJobs();
    assert.equal(w.x.fake.sentDms.length, 0);
    assert.equal(w.x.fake.createdPosts.length, 1);
  });
});
