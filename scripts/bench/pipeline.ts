/**
 * Messages per second through the whole pipeline (direct in poll-page-sized batches, one at a time, with the app's
 * hooks, and through the webhook in batches), the embedded store's raw insertMany rate in the same run, and the ratio.
 * Usage: npm run bench:pipeline [-- N]   (default 10,000)
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadSeedExamples, train } from '../../classifiers';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import type { InboundMessage } from '../../src/domain/message';
import { ingestBatch, ingestMessage } from '../../src/ingest/pipeline';
import { messageDoc, planBatch } from '../../src/ingest/plan';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { appPipeline } from '../../src/runtime/pipeline';
import { SlaClock } from '../../src/sla/clock';
import { createAgenda, stopAgenda } from '../../src/jobs/agenda';
import { agendaOutbox } from '../../src/jobs/outbox';
import { compact } from '../../src/store/bulk';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { createApiToken } from '../../src/store/repositories/tokens';
import { startBenchDb } from './bench-db';

const N = Number(process.argv[2] ?? 10_000);
const BATCH = 100;
const seed = loadSeedExamples();

/** Tweet-like texts from our seed examples; every fourth message follows up an earlier thread. */
function messages(prefix: string, channel: string, n = N): InboundMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    channel,
    account: 'bench',
    externalId: `${prefix}-${i}`,
    threadKey: i % 4 === 3 ? `${prefix}-t-${i - 3}` : `${prefix}-t-${i}`,
    kind: 'mention',
    author: { handle: `@user${i % 500}` },
    text: seed[i % seed.length]?.text ?? 'hello',
    createdAt: new Date(),
  }));
}

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000)} msg/s (${n} in ${(ms / 1000).toFixed(2)} s)`;

/**
 * The pipeline's messages and conversations written as raw insertMany calls (1000 a call) into collections indexed
 * like ours: what the secondary indexes alone cost, the floor under any pipeline that keeps them.
 */
async function indexedFloor(batch: InboundMessage[]): Promise<number> {
  const db = mongoose.connection.db!;
  const target = async (name: string, model: typeof MessageModel | typeof ConversationModel) => {
    const collection = db.collection(name);
    for (const [fields, options] of model.schema.indexes()) await collection.createIndex(fields as Record<string, 1 | -1>, options as object);
    return collection;
  };
  const messagesTo = await target('floor_messages', MessageModel);
  const conversationsTo = await target('floor_conversations', ConversationModel);
  const plan = planBatch(batch);
  const now = new Date();
  const messageDocs = plan.unique.map((p) => compact(messageDoc(p, now)));
  const conversationDocs = [...plan.byConversation.values()].map((members) => {
    const first = members[0]!;
    return {
      _id: first.conversationId, channel: first.message.channel, account: first.message.account, threadKey: first.message.threadKey, kind: first.message.kind,
      customer: first.message.author, preview: first.message.text.slice(0, 280), department: 'support', triaged: false,
      routing: { method: 'model', label: 'support', confidence: 0.9, scores: { support: 0.9, other: 0.1 }, terms: [] }, status: 'open',
      firstMessageAt: first.message.createdAt, lastMessageAt: first.message.createdAt, messageCount: members.length, firstMessageId: first.messageId,
      productFeedback: false, createdAt: now, updatedAt: now, __v: 0,
    };
  });
  const t = performance.now();
  for (let i = 0; i < messageDocs.length; i += 1000) await messagesTo.insertMany(messageDocs.slice(i, i + 1000));
  for (let i = 0; i < conversationDocs.length; i += 1000) await conversationsTo.insertMany(conversationDocs.slice(i, i + 1000));
  return performance.now() - t;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = await startBenchDb(dataDir);
  try {
    await connectStore(db.uri, 'bench');
    const router = new Router(train(seed), { threshold: 0.5, departments: DEFAULT_DEPARTMENTS.map((d) => d.key) });

    // the app classifies all day: time the steady state, not the JIT's first thousand classifications
    const warm = messages('warm', 'bench-warm', 1000);
    for (const m of warm) router.route(m.text, m.author);
    const raw = mongoose.connection.db!.collection('raw_bench');
    await raw.insertMany(messages('raw-warm', 'raw', 1000).map((m) => ({ ...m })));

    const direct = messages('direct', 'bench-direct');
    let t = performance.now();
    // a poll page or replay chunk at a time
    for (let i = 0; i < direct.length; i += BATCH) await ingestBatch(direct.slice(i, i + BATCH), { router });
    const directMs = performance.now() - t;
    console.log(`pipeline, direct (${BATCH}/batch):  ${rate(N, directMs)}`);

    const single = messages('single', 'bench-single', Math.ceil(N / 10));
    t = performance.now();
    for (const message of single) await ingestMessage(message, { router });
    console.log(`pipeline, one message a call: ${rate(single.length, performance.now() - t)}`);

    // with the app's hooks: clocks and card jobs (agenda has no bulk save: one job per card and follow-up)
    const agenda = await createAgenda(mongoose.connection.db!, 60_000);
    const clock = new SlaClock((key) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla);
    const hooked = appPipeline({ router, clock, outbox: agendaOutbox(agenda, true), logger: createLogger('silent') });
    const withHooks = messages('hooked', 'bench-hooked', Math.ceil(N / 10));
    t = performance.now();
    for (let i = 0; i < withHooks.length; i += BATCH) await ingestBatch(withHooks.slice(i, i + BATCH), hooked);
    console.log(`pipeline, direct with the app's hooks (SLA clocks, card and follow-up jobs): ${rate(withHooks.length, performance.now() - t)}`);
    await stopAgenda(agenda, mongoose.connection.db!, 0);

    const app = createApp({ logger: createLogger('silent'), pipeline: { router }, ingest: { maxBytes: 10 * 1024 * 1024, maxBatch: BATCH } });
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/ingest`;
    const { token } = await createApiToken('ingest', 'bench');
    const body = messages('hook', 'ignored').map((m) => ({
      source: 'bench-webhook', externalId: m.externalId, threadKey: m.threadKey, author: m.author, text: m.text, createdAt: m.createdAt.toISOString(),
    }));
    t = performance.now();
    for (let i = 0; i < body.length; i += BATCH) {
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body.slice(i, i + BATCH)) });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    }
    const webhookMs = performance.now() - t;
    console.log(`pipeline, webhook (${BATCH}/batch): ${rate(N, webhookMs)}`);
    server.close();

    const docs = messages('raw', 'raw').map((m) => ({ ...m }));
    t = performance.now();
    for (let i = 0; i < docs.length; i += 1000) await raw.insertMany(docs.slice(i, i + 1000));
    const rawMs = performance.now() - t;
    console.log(`store insertMany (1000/call): ${rate(N, rawMs).replace('msg', 'docs')}`);
    const share = (ms: number) => `${((rawMs / ms) * 100).toFixed(1)}%`;
    console.log(`pipeline / raw insertMany:    direct ${share(directMs)}, webhook ${share(webhookMs)} (goal >= 30%)`);
    const floorMs = await indexedFloor(messages('floor', 'floor'));
    console.log(`same documents, raw insertMany into collections with our indexes: ${rate(N, floorMs).replace('msg', 'messages')}; pipeline direct at ${((floorMs / directMs) * 100).toFixed(1)}% of it`);
    console.log(`node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? '?'}`);
  } finally {
    await disconnectStore();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
