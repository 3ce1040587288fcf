import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import type { Outbox } from '../../src/domain/outbox';
import { ingestBatch, ingestMessage, type PipelineDeps } from '../../src/ingest/pipeline';
import { findUnfinished, reconcile } from '../../src/outbox/reconcile';
import { createLogger } from '../../src/runtime/logger';
import { sweepAnnouncer } from '../../src/runtime/pipeline';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { bearer } from '../support/app';
import { eventCallback, messageEvent } from '../support/slack-requests';
import { AGENT, CHANNELS, useSlackWorld, type SlackWorld } from '../support/slack-world';

const MINUTE = 60_000;

describe('outbox reconciliation: what a crash left unqueued is queued again, and posted once', () => {
  const world = useSlackWorld();
  let w: SlackWorld;
  beforeEach(() => (w = world()));

  const outbox = (): Outbox => ({
    conversationRouted: (id) => Promise.resolve(void w.jobs.push({ kind: 'post-conversation', id })),
    followUpStored: (id) => Promise.resolve(void w.jobs.push({ kind: 'post-followup', id })),
    replyQueued: (id) => Promise.resolve(void w.jobs.push({ kind: 'deliver', id })),
    replyFinished: (id) => Promise.resolve(void w.jobs.push({ kind: 'report', id })),
    agentMessageWritten: (id) => Promise.resolve(void w.jobs.push({ kind: 'agent-line', id })),
  });

  /** One sweep as the job runs it, `afterMs` from now, then the jobs it queued. */
  async function sweep(afterMs = 2 * MINUTE, maxAgeMs = 72 * 60 * MINUTE) {
    const found = await findUnfinished({ now: new Date(Date.now() + afterMs), graceMs: MINUTE, maxAgeMs, staleMs: 5 * MINUTE, slack: { hasChannel: () => true } });
    await reconcile(found, { outbox: outbox(), announce: sweepAnnouncer(w.clock, w.pipeline) });
    await w.runJobs();
    return found;
  }

  /** A customer mentions the account on X (in reply to an earlier mention, say) and we pull it. */
  async function mention(text: string, inReplyTo?: string) {
    const tweet = w.x.fake.addMention({ from: w.x.fake.addUser('lena_b', 'Lena B'), text: `@kestrelhome ${text}`, inReplyTo });
    const [result] = (await ingestBatch((await w.x.connector.pull(null)).messages, w.pipeline)).filter((r) => r.externalId === tweet.id);
    return { tweet, result: result! };
  }

  it('posts the card whose job was lost once the grace period is over, once however often it sweeps, and leaves old ones alone', async () => {
    const { result } = await mention('my thermostat is broken');
    w.jobs.length = 0; // the process died before its card job ran
    assert.deepEqual((await sweep(10_000)).cards, [], 'still within the grace period');
    assert.deepEqual((await sweep(2 * MINUTE, MINUTE)).cards, [], 'older than the search window');
    assert.deepEqual((await sweep()).cards, [result?.conversationId]);
    await sweep();
    assert.equal(w.slackApi.messages(CHANNELS.support).length, 1);
    const conversation = await ConversationModel.findById(result?.conversationId).lean();
    assert.equal(conversation?.slack?.ts, w.slackApi.messages(CHANNELS.support)[0]?.ts);
  });

  it('finishes a stored conversation whose hooks failed: its card is posted, and the request still said stored', async () => {
    const failures: string[] = [];
    const failing: PipelineDeps = { ...w.pipeline, onNewConversation: () => Promise.reject(new Error('agenda is down')), onHookFailed: (err) => failures.push(String(err)) };
    const result = await ingestMessage({ channel: 'webhook', account: 'shop', externalId: 'f-0', threadKey: 'case-0', kind: 'mention', author: { name: 'Jo' }, text: 'my thermostat is broken', createdAt: new Date() }, failing);
    assert.deepEqual([result.outcome, failures], ['stored', ['Error: agenda is down']]);
    const stored = await ConversationModel.findById(result.conversationId).lean();
    assert.ok(stored?.sla?.firstResponseDueAt, 'its clocks started with the insert');

    await sweep();
    const conversation = await ConversationModel.findById(result.conversationId).lean();
    assert.deepEqual(conversation?.sla, stored?.sla, 'the sweep leaves running clocks alone');
    assert.equal(conversation?.routingPending, undefined);
    assert.equal(w.slackApi.messages(CHANNELS.support).length, 1);
  });

  it('starts the clocks of a conversation stored without them (by a version before they came with the insert) when it finishes its hooks', async () => {
    const failures: string[] = [];
    const failing: PipelineDeps = {
      ...w.pipeline, openingSla: undefined, onNewConversation: () => Promise.reject(new Error('agenda is down')), onHookFailed: (err) => failures.push(String(err)),
    };
    const result = await ingestMessage({ channel: 'webhook', account: 'shop', externalId: 'f-1', threadKey: 'case-1', kind: 'mention', author: { name: 'Jo' }, text: 'my thermostat is broken', createdAt: new Date() }, failing);
    assert.equal(result.outcome, 'stored');
    assert.deepEqual(failures, ['Error: agenda is down']);
    // as that version stored it: marked until its hooks ran
    await ConversationModel.updateOne({ _id: result.conversationId }, { $set: { routingPending: true } });
    assert.equal((await ConversationModel.findById(result.conversationId).lean())?.sla, undefined);

    const found = await sweep();
    assert.deepEqual(found.unrouted.map((c) => String(c.conversationId)), [result.conversationId]);
    await sweep();
    const conversation = await ConversationModel.findById(result.conversationId).lean();
    assert.ok(conversation?.sla?.firstResponseDueAt, 'the first-response clock runs');
    assert.equal(conversation?.routingPending, undefined);
    assert.equal(w.slackApi.messages(CHANNELS.support).length, 1);
  });

  it('posts a follow-up whose job was lost in the thread once, and never the first message again', async () => {
    const { tweet } = await mention('my thermostat is broken');
    await w.runJobs();
    const [card] = w.slackApi.messages(CHANNELS.support);
    await mention('hello? still broken', tweet.id);
    w.jobs.length = 0;
    const found = await sweep();
    assert.equal(found.followUps.length, 1);
    await sweep();
    const thread = w.slackApi.thread(CHANNELS.support, card!.ts);
    assert.equal(thread.length, 1);
    assert.match(JSON.stringify(thread[0]?.blocks), /still broken/);
    assert.equal(w.slackApi.messages(CHANNELS.support).length, 1);
  });

  it('never takes the first message of a conversation stored before first messages were recorded for a follow-up', async () => {
    const { result } = await mention('my thermostat is broken');
    await w.runJobs();
    const first = await MessageModel.findOne({ conversationId: result.conversationId }).lean();
    assert.equal(first?.slack?.ts, w.slackApi.messages(CHANNELS.support)[0]?.ts, 'the card marks the message it shows');
    // as an older version left it: no firstMessageId, the first message unmarked
    await ConversationModel.updateOne({ _id: result.conversationId }, { $unset: { firstMessageId: 1 } });
    await MessageModel.updateOne({ _id: first?._id }, { $unset: { slack: 1 } });
    assert.deepEqual((await sweep()).followUps, []);
    assert.ok((await MessageModel.findById(first?._id).lean())?.slack?.ts, 'marked, so the next sweep does not ask again');
    assert.equal(w.slackApi.thread(CHANNELS.support, w.slackApi.messages(CHANNELS.support)[0]!.ts).length, 0);
  });

  it('delivers a reply stored without its job once, and a redelivered Slack event adds nothing', async () => {
    await mention('my thermostat is broken');
    await w.runJobs();
    const [card] = w.slackApi.messages(CHANNELS.support);
    const reply = w.slackApi.addMessage(CHANNELS.support, { user: AGENT.id, text: 'On it, Lena!', thread_ts: card!.ts });
    const event = eventCallback({ event: messageEvent({ channel: CHANNELS.support, user: AGENT.id, text: 'On it, Lena!', ts: reply.ts, thread_ts: card!.ts }) });
    assert.equal((await w.postSigned(event)).status, 200);
    w.jobs.length = 0; // the process died before queueing the delivery
    assert.equal((await w.postSigned(event, { retry: { num: 1, reason: 'http_timeout' } })).status, 200);
    assert.deepEqual(w.jobs, []);
    assert.equal((await sweep()).replies.length, 1);
    assert.deepEqual((await sweep()).replies, []);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['On it, Lena!']);
  });

  it('reports a sent reply whose report job was lost: one reaction and one thread line, once however often it sweeps', async () => {
    await mention('my thermostat is broken');
    await w.runJobs();
    const [card] = w.slackApi.messages(CHANNELS.support);
    const reply = w.slackApi.addMessage(CHANNELS.support, { user: AGENT.id, text: 'Fixed it, Lena!', thread_ts: card!.ts });
    assert.equal((await w.postSigned(eventCallback({ event: messageEvent({ channel: CHANNELS.support, user: AGENT.id, text: 'Fixed it, Lena!', ts: reply.ts, thread_ts: card!.ts }) }))).status, 200);
    // the process died between marking the reply sent and queueing its report
    const queue = w.jobs.push;
    w.jobs.push = (...jobs) => queue.apply(w.jobs, jobs.filter((job) => job.kind !== 'report'));
    await w.runJobs();
    w.jobs.push = queue;
    assert.equal((await MessageModel.findOne({ direction: 'outbound' }).lean())?.delivery?.state, 'sent');
    const lineCount = () => w.slackApi.thread(CHANNELS.support, card!.ts).filter((m) => m.text?.startsWith('Posted as a reply')).length;
    assert.equal(lineCount(), 0);
    assert.equal((await sweep()).reports.length, 1);
    assert.deepEqual((await sweep()).reports, []);
    assert.equal(lineCount(), 1);
    assert.deepEqual(w.slackApi.reactions(CHANNELS.support, reply.ts), ['white_check_mark']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['Fixed it, Lena!']);
  });

  it('repairs a message stored without its conversation when it is delivered again: one conversation, one card', async () => {
    const message = { channel: 'webhook', account: 'shop', externalId: 'o-1', threadKey: 'case-9', kind: 'mention' as const, author: { name: 'Jo' }, text: 'my thermostat is broken', createdAt: new Date() };
    await ingestMessage(message, w.pipeline);
    // what a SIGKILL between the two inserts leaves: the message, no conversation
    await ConversationModel.deleteMany({});
    w.jobs.length = 0;
    const again = await ingestMessage(message, w.pipeline);
    assert.equal(again.outcome, 'stored');
    assert.equal((await ingestMessage(message, w.pipeline)).outcome, 'duplicate');
    await w.runJobs();
    assert.equal(await ConversationModel.countDocuments(), 1);
    assert.equal((await ConversationModel.findById(again.conversationId).lean())?.messageCount, 1);
    assert.equal(w.slackApi.messages(CHANNELS.support).length, 1);
  });

  describe('a follow-up racing its first message through the webhook', () => {
    let auth: string;
    beforeEach(async () => {
      auth = await bearer('ingest');
    });

    const body = (externalId: string, text: string) => ({ source: 'shop', externalId, threadKey: 'case-1', author: { name: 'Jo' }, text, createdAt: new Date().toISOString() });

    /** The webhook with the first message's hooks (its card job) held until `release` is called. */
    function heldApp() {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const failures: unknown[] = [];
      const pipeline: PipelineDeps = {
        ...w.pipeline,
        onNewConversation: async (c) => {
          await held;
          await w.pipeline.onNewConversation?.(c);
        },
        onHookFailed: (err) => failures.push(err),
      };
      const app = createApp({ logger: createLogger('silent'), pipeline, ingest: { maxBytes: 65536, maxBatch: 50 } });
      return { app, release, failures };
    }

    async function conversationStored(): Promise<void> {
      while (!(await ConversationModel.exists({ threadKey: 'case-1' }))) await new Promise((r) => setTimeout(r, 10));
    }

    it('answers 200 at once, and the follow-up reaches the thread once, after the card', async () => {
      const { app, release, failures } = heldApp();
      const first = request(app).post('/api/ingest').set('Authorization', auth).send(body('f-1', 'my thermostat is broken')).then((r) => r);
      await conversationStored();
      const b = await request(app).post('/api/ingest').set('Authorization', auth).send(body('f-2', 'the app crashes too'));
      assert.equal(b.status, 200, JSON.stringify(b.body));
      assert.equal(b.body.stored, 1, 'the follow-up is stored while the first message\'s hooks are still held');
      release();
      assert.equal((await first).status, 200);
      assert.deepEqual(failures, []);
      await w.runJobs();
      const [card] = w.slackApi.messages(CHANNELS.support);
      assert.equal(w.slackApi.thread(CHANNELS.support, card!.ts).length, 1);
      const conversation = await ConversationModel.findOne({ threadKey: 'case-1' }).lean();
      assert.equal(conversation?.messageCount, 2);
      assert.ok(conversation?.sla?.firstResponseDueAt, 'its clock runs');
    });
  });
});
