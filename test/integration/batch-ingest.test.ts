import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { CommandStartedEvent } from 'mongodb';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestBatch, ingestMessage } from '../../src/ingest/pipeline';
import { pollAccount } from '../../src/ingest/poll';
import { createLogger } from '../../src/runtime/logger';
import { SlaClock } from '../../src/sla/clock';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import { startXWorld } from '../connectors/x-setup';
import { testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 9, minute));

describe('batches stored with bulk writes (FerretDB)', () => {
  const db = useTestDatabase();
  const router = testRouter();
  const clock = new SlaClock((key) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla);
  before(async () => {
    // command monitoring is fixed when a connection is made: reconnect with it on
    await mongoose.disconnect();
    await mongoose.connect(db.uri(), { dbName: db.dbName(), monitorCommands: true });
  });
  beforeEach(clearCollections);

  /** The database commands `work` sends (not the driver's handshakes and heartbeats). */
  async function commandsOf(work: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listener = (e: CommandStartedEvent) => void seen.push(e.commandName);
    const client = mongoose.connection.getClient();
    client.on('commandStarted', listener);
    try {
      await work();
    } finally {
      client.off('commandStarted', listener);
    }
    return seen.filter((name) => !['hello', 'isMaster', 'ismaster', 'ping', 'endSessions'].includes(name));
  }

  it('counts each conversation exactly when a batch repeats messages inside it and messages already stored', async () => {
    const a1 = inbound({ externalId: 'a1', threadKey: 'a', text: 'my thermostat is broken', createdAt: at(0) });
    const b1 = inbound({ externalId: 'b1', threadKey: 'b', text: 'price list please', createdAt: at(1) });
    await ingestBatch([a1, b1], { router });

    const a2 = inbound({ externalId: 'a2', threadKey: 'a', text: 'still broken', createdAt: at(5) });
    const b2 = inbound({ externalId: 'b2', threadKey: 'b', text: 'and the discount?', createdAt: at(6) });
    const c1 = inbound({ externalId: 'c1', threadKey: 'c', text: 'new feature idea: schedules', createdAt: at(7) });
    const c2 = inbound({ externalId: 'c2', threadKey: 'c', text: 'and a dark mode', createdAt: at(8) });
    const results = await ingestBatch([a1, a2, { ...a2 }, b2, c1, b1, c2, { ...c1 }], { router });

    assert.deepEqual(
      results.map((r) => `${r.externalId}:${r.outcome}`),
      ['a1:duplicate', 'a2:stored', 'a2:duplicate', 'b2:stored', 'c1:stored', 'b1:duplicate', 'c2:stored', 'c1:duplicate'],
    );
    assert.deepEqual(results.map((r) => r.department ?? '-'), ['-', '-', '-', '-', 'product', '-', '-', '-'], 'only the new conversation\'s opener names a department');
    const messages = await MessageModel.find().lean();
    assert.deepEqual(messages.map((m) => m.externalId).sort(), ['a1', 'a2', 'b1', 'b2', 'c1', 'c2']);
    const conversations = await ConversationModel.find().sort({ threadKey: 1 }).lean();
    assert.deepEqual(conversations.map((c) => [c.threadKey, c.messageCount, c.lastInbound?.externalId, c.lastMessageAt.toISOString()]), [
      ['a', 2, 'a2', at(5).toISOString()],
      ['b', 2, 'b2', at(6).toISOString()],
      ['c', 2, 'c2', at(8).toISOString()],
    ]);
    assert.equal(await RoutingEventModel.countDocuments(), 3, 'one routing event per conversation');

    const again = await ingestBatch([a1, a2, b1, b2, c1, c2], { router });
    assert.deepEqual(new Set(again.map((r) => r.outcome)), new Set(['duplicate']));
    assert.deepEqual((await ConversationModel.find().sort({ threadKey: 1 }).lean()).map((c) => c.messageCount), [2, 2, 2]);
  });

  it('writes the documents mongoose would: every default, no field the schema does not know', async () => {
    const canonical = (value: unknown): string => {
      const sorted = (v: unknown): unknown =>
        Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sorted(x)])) : v;
      return JSON.stringify(sorted(JSON.parse(JSON.stringify(value))));
    };
    const opening = [inbound({ threadKey: 'f', text: 'my thermostat is broken', author: { name: 'Jo' }, raw: { a: 1 } }), inbound({ threadKey: 'f', text: 'hello?', fromSelf: true })];
    await ingestBatch(opening, { router, openingSla: (department, when) => clock.opening(department, when) });
    const raw = mongoose.connection.db!;
    for (const [model, name] of [[MessageModel, 'messages'], [ConversationModel, 'conversations'], [RoutingEventModel, 'routingevents']] as const) {
      const stored = await raw.collection(name).find().toArray();
      assert.ok(stored.length > 0, name);
      for (const doc of stored) assert.equal(canonical(doc), canonical(new model(doc).toObject({ flattenMaps: true })), name);
    }
  });

  it('stores a new conversation with its SLA clocks running, as the clock would write them, in no extra command', async () => {
    const withClock = { router, openingSla: (department: string, when: Date) => clock.opening(department, when) };
    const message = (threadKey: string) => inbound({ threadKey, text: 'my thermostat is broken', createdAt: at(0) });
    const started = await commandsOf(() => ingestBatch([message('g1')], withClock));
    const plain = await commandsOf(() => ingestBatch([message('g2')], { router }));
    assert.deepEqual(started, plain, 'the clocks cost no command of their own');
    const [g1, g2] = await ConversationModel.find().sort({ threadKey: 1 }).lean();
    assert.equal(g2?.sla, undefined);
    await clock.routed(String(g2?._id), g2!.department, at(0));
    const routed = await ConversationModel.findById(g2?._id).lean();
    assert.ok((g1?.sla?.running?.length ?? 0) > 0, 'its first response and resolution clocks run');
    assert.deepEqual(g1?.sla, routed?.sla);
  });

  it('runs the new-conversation hook before the follow-up hooks of its batch, once each', async () => {
    const heard: string[] = [];
    const deps = {
      router,
      onNewConversation: (c: { conversationId: unknown }) => Promise.resolve(void heard.push(`new ${String(c.conversationId)}`)),
      onFollowUp: (id: string, conversationId: string) => Promise.resolve(void heard.push(`follow-up ${conversationId} ${id}`)),
    };
    const first = inbound({ threadKey: 'd', text: 'broken display', createdAt: at(0) });
    const second = inbound({ threadKey: 'd', text: 'it flickers', createdAt: at(1) });
    const [opened, followed] = await ingestBatch([first, second, first], deps);
    assert.equal(heard.length, 2);
    assert.equal(heard[0], `new ${opened?.conversationId}`);
    assert.match(heard[1] ?? '', new RegExp(`^follow-up ${followed?.conversationId} `));
    assert.equal((await ConversationModel.findById(opened?.conversationId).lean())?.routingPending, undefined, 'its routing is done');
  });

  it('completes a message stored without its conversation when it comes again beside a follow-up', async () => {
    const orphan = inbound({ threadKey: 'e', text: 'my thermostat is broken', createdAt: at(0) });
    await ingestMessage(orphan, { router });
    // what a SIGKILL between the message write and the conversation write leaves
    await ConversationModel.deleteMany({});
    const later = inbound({ threadKey: 'e', text: 'hello?', createdAt: at(3) });
    const results = await ingestBatch([orphan, later], { router });
    assert.deepEqual(results.map((r) => r.outcome), ['stored', 'stored']);
    assert.equal(results[0]?.department, 'support');
    const [conversation] = await ConversationModel.find().lean();
    assert.deepEqual([conversation?.messageCount, conversation?.firstMessageAt.toISOString()], [2, at(0).toISOString()]);
    assert.equal(await MessageModel.countDocuments(), 2);
  });

  it('stores a poll page in the same number of database commands whether it holds 10 messages or 60', async () => {
    const deps = { pipeline: { router }, logger: createLogger('silent'), owner: 'test-poller', leaseMs: 60_000 };
    const pollOf = async (n: number) => {
      const world = await startXWorld({ pageSize: 100 });
      try {
        await clearCollections();
        await registerAccount({ channel: 'x', account: 'acct-x-1' });
        const customer = world.fake.addUser('anna_k', 'Anna K');
        // every second mention answers the one before it: new conversations and follow-ups on one page
        let parent: string | undefined;
        for (let i = 0; i < n; i++) {
          const tweet = world.fake.addMention({ from: customer, text: `@kestrelhome my thermostat is broken #${i}`, inReplyTo: i % 2 === 1 ? parent : undefined });
          parent = tweet.id;
        }
        let stored = -1;
        const commands = await commandsOf(async () => (stored = (await pollAccount(world.connector, 'acct-x-1', deps)).stored));
        return { commands, stored, conversations: await ConversationModel.countDocuments() };
      } finally {
        await world.fake.close();
      }
    };
    const small = await pollOf(10);
    const large = await pollOf(60);
    assert.deepEqual([small.stored, small.conversations, large.stored, large.conversations], [10, 5, 60, 30]);
    assert.deepEqual(large.commands, small.commands, 'the page\'s size adds no round trips');
    assert.ok(large.commands.length <= 20, `a page costs a bounded number of commands: ${large.commands.join(', ')}`);
  });
});
