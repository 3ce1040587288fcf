import assert from 'node:assert/strict';
import request from 'supertest';
import { MessageModel } from '../../src/store/models/message';
import { findUnfinished, reconcile } from '../../src/outbox/reconcile';
import { bearer } from '../support/app';
import { withoutJoiners } from '../support/mrkdwn';
import { agentReplies, customerMentions } from '../support/slack-scenes';
import { CHANNELS, useSlackWorld } from '../support/slack-world';

const MINUTE = 60_000;

describe('a reply or note written in the web inbox or through the API appears once in the card\'s Slack thread', () => {
  const world = useSlackWorld();

  /** Our lines in the card's thread (the card itself left out), as a reader sees them. */
  const threadLines = (cardTs: string) =>
    world().slackApi.thread(CHANNELS.support, cardTs).filter((m) => m.ts !== cardTs).map((m) => withoutJoiners(m.text ?? ''));

  it('a web inbox reply: one line with the text, then its delivery report under it', async () => {
    const w = world();
    const { conversation, card } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);
    await request(w.app).post(`/api/conversations/${id}/replies`).set('Authorization', await bearer('agent')).set('X-Switchboard-Client', 'inbox').send({ text: 'Sorry, we are on it!' }).expect(202);
    await w.runJobs();
    const lines = threadLines(card.ts);
    assert.equal(lines[0], 'test-agent replied from the web inbox: Sorry, we are on it!');
    assert.match(lines[1] ?? '', /^Posted as a reply: https:\/\//);
    assert.equal(lines.length, 2);
    const reply = await MessageModel.findOne({ conversationId: id, direction: 'outbound' }).lean();
    assert.equal(reply?.delivery?.state, 'sent');
    // the ✅ goes on the line that stands for the reply in Slack
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, reply?.slack?.ts ?? ''), ['white_check_mark']);
    assert.equal(w.x.fake.createdPosts.length, 1);

    // queued again (a sweep, a twin job): nothing new in the thread
    await w.slack.notifier.postConversation(id);
    w.jobs.push({ kind: 'agent-line', id: String(reply?._id) }, { kind: 'report', id: String(reply?._id) });
    await w.runJobs();
    assert.equal(threadLines(card.ts).length, 2);
  });

  it('an API note says so; a line whose post failed is posted once on the retry, and a lost job is found by the sweep', async () => {
    const w = world();
    const { conversation, card } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);
    const agent = await bearer('agent');
    w.slackApi.failNext('chat.postMessage', { error: 'internal_error', status: 500 });
    await request(w.app).post(`/api/conversations/${id}/notes`).set('Authorization', agent).send({ text: 'called the customer' }).expect(201);
    await w.runJobs();
    assert.equal(w.failedJobs.length, 1, 'the first post failed: agenda would retry it');
    assert.deepEqual(threadLines(card.ts), []);
    w.jobs.push(w.failedJobs[0]!);
    await w.runJobs();
    assert.deepEqual(threadLines(card.ts), ['test-agent added a note through the API: called the customer']);

    // stored, but the process died before its job was queued: the sweep queues it
    await request(w.app).post(`/api/conversations/${id}/notes`).set('Authorization', agent).send({ text: 'second note' }).expect(201);
    w.jobs.length = 0;
    const found = await findUnfinished({ now: new Date(Date.now() + 2 * MINUTE), graceMs: MINUTE, maxAgeMs: 72 * 60 * MINUTE, staleMs: MINUTE, slack: { hasChannel: () => true } });
    assert.equal(found.agentLines.length, 1);
    assert.deepEqual(found.replies, []);
    await reconcile(found, { outbox: { ...noOutbox, agentMessageWritten: (m) => Promise.resolve(void w.jobs.push({ kind: 'agent-line', id: m })) }, announce: () => Promise.resolve() });
    await w.runJobs();
    assert.deepEqual(threadLines(card.ts), ['test-agent added a note through the API: called the customer', 'test-agent added a note through the API: second note']);
  });

  it('a reply written in the Slack thread itself gets no such line: the agent\'s own message is there', async () => {
    const w = world();
    const { card } = await customerMentions(w, 'my thermostat is broken');
    await agentReplies(w, card, CHANNELS.support, 'On it!');
    await w.runJobs();
    const lines = threadLines(card.ts);
    assert.equal(lines[0], 'On it!');
    assert.match(lines[1] ?? '', /^Posted as a reply: /);
    assert.equal(lines.length, 2);
  });
});

const noOutbox = {
  conversationRouted: () => Promise.resolve(),
  followUpStored: () => Promise.resolve(),
  replyQueued: () => Promise.resolve(),
  replyFinished: () => Promise.resolve(),
  agentMessageWritten: () => Promise.resolve(),
};
