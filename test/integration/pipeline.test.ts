import assert from 'node:assert/strict';
import { ingestBatch, ingestMessage } from '../../src/ingest/pipeline';
import { undoBatch } from '../../src/ingest/undo';
import { outboundReplyOf } from '../../src/outbound/reply';
import { Router } from '../../src/routing/router';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';
import { afterNextRead } from '../support/interleave';
import { KeywordClassifier, testRules } from '../support/keyword-classifier';

describe('ingest pipeline (FerretDB)', () => {
  useTestDatabase();
  const router = new Router(new KeywordClassifier(testRules), {
    threshold: 0.5,
    departments: ['support', 'sales', 'product', 'hr', 'other'],
  });
  beforeEach(clearCollections);

  it('routes a new conversation to the department with the highest score and records why', async () => {
    const result = await ingestMessage(inbound({ text: 'My thermostat is broken again' }), { router });
    assert.equal(result.outcome, 'stored');
    assert.equal(result.department, 'support');
    const conversation = await ConversationModel.findById(result.conversationId).lean();
    assert.equal(conversation?.department, 'support');
    assert.equal(conversation?.routing.confidence, 0.9);
    const events = await RoutingEventModel.find({ conversationId: result.conversationId }).lean();
    assert.deepEqual(events.map((e) => [e.to, e.method]), [['support', 'model']]);
  });

  it('sends a low-confidence conversation to triage', async () => {
    const result = await ingestMessage(inbound({ text: 'maybe I want something' }), { router });
    assert.equal(result.department, 'triage');
    const conversation = await ConversationModel.findById(result.conversationId).lean();
    assert.equal(conversation?.routing.method, 'triage');
    assert.equal(conversation?.routing.label, 'sales');
  });

  it('stores the same message once however often it arrives', async () => {
    const message = inbound({ text: 'price list please' });
    const results = await ingestBatch([message, message, { ...message }], { router });
    assert.deepEqual(results.map((r) => r.outcome), ['stored', 'duplicate', 'duplicate']);
    assert.equal(await MessageModel.countDocuments(), 1);
    assert.equal(await ConversationModel.countDocuments(), 1);
  });

  it('threads follow-ups into one conversation, classified once from its first message', async () => {
    const first = inbound({ threadKey: 'thread-1', text: 'new feature idea: schedules' });
    const second = inbound({ threadKey: 'thread-1', text: 'also the app is broken', createdAt: new Date(Date.now() + 1000) });
    const [a, b] = await ingestBatch([first, second], { router });
    assert.equal(a?.conversationId, b?.conversationId);
    const conversation = await ConversationModel.findById(a?.conversationId).lean();
    assert.equal(conversation?.department, 'product');
    assert.equal(conversation?.messageCount, 2);
    assert.equal(conversation?.lastInbound?.externalId, second.externalId);
    assert.equal(await RoutingEventModel.countDocuments(), 1);
  });

  it('answers the latest customer message even when an older one is stored after it (a poll catching up behind a push, two requests at once)', async () => {
    const t = Date.now();
    const opened = await ingestMessage(inbound({ threadKey: 'thread-late', text: 'broken display', createdAt: new Date(t) }), { router });
    const newer = inbound({ threadKey: 'thread-late', text: 'still broken', createdAt: new Date(t + 60_000) });
    const older = inbound({ threadKey: 'thread-late', text: 'it flickers', createdAt: new Date(t + 30_000) });
    await ingestMessage(newer, { router });
    await ingestMessage(older, { router });
    const conversation = await ConversationModel.findById(opened.conversationId).lean();
    const reply = await outboundReplyOf({ _id: 'reply-1', text: 'we are on it' }, conversation!);
    assert.equal(reply.inReplyToExternalId, newer.externalId, 'a reply answers the newest message');
    assert.equal(conversation?.messageCount, 3);
  });

  it('undoing a failed batch that joined a conversation keeps what a batch joining meanwhile moved on', async () => {
    const t = Date.now();
    const opened = await ingestMessage(inbound({ threadKey: 'thread-undo', createdAt: new Date(t) }), { router });
    const failed = inbound({ threadKey: 'thread-undo', text: 'it flickers', createdAt: new Date(t + 30_000) });
    await ingestMessage(failed, { router }); // what the failed batch had written when it failed
    const newer = inbound({ threadKey: 'thread-undo', text: 'still broken', createdAt: new Date(t + 60_000) });
    const failedId = (await MessageModel.findOne({ externalId: failed.externalId }).lean())!._id;
    // the other batch joins right after the undo read the conversation
    const restore = afterNextRead(ConversationModel, () => ingestMessage(newer, { router }));
    await undoBatch({ messages: [failedId], conversations: [], joined: new Map([[opened.conversationId, [failed.externalId]]]) }).finally(restore);
    const conversation = (await ConversationModel.findById(opened.conversationId).lean())!;
    assert.equal(conversation.messageCount, 2);
    assert.equal(conversation.lastMessageAt.getTime(), t + 60_000, 'dated by the newer message');
    assert.equal(conversation.lastInbound?.externalId, newer.externalId, 'which a reply answers');
  });

  it('reopens a resolved conversation when the customer writes again', async () => {
    const first = await ingestMessage(inbound({ threadKey: 'thread-2', text: 'broken display' }), { router });
    await ConversationModel.updateOne({ _id: first.conversationId }, { status: 'resolved', resolvedAt: new Date() });
    await ingestMessage(inbound({ threadKey: 'thread-2', text: 'it is back' }), { router });
    const conversation = await ConversationModel.findById(first.conversationId).lean();
    assert.equal(conversation?.status, 'open');
    assert.ok(conversation?.reopenedAt);
    assert.equal(conversation?.resolvedAt, undefined);
  });

  it('keeps the same thread key of two channels apart', async () => {
    await ingestMessage(inbound({ channel: 'webhook', threadKey: 'same', text: 'broken' }), { router });
    await ingestMessage(inbound({ channel: 'x', threadKey: 'same', text: 'broken' }), { router });
    assert.equal(await ConversationModel.countDocuments(), 2);
  });
});
