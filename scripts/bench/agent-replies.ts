/**
 * Agent replies through the REST API at N conversations: POST /replies p50/p99 (stored and queued), the same POST
 * retried with its Idempotency-Key, RACERS clients racing one key per conversation (replies stored and sent must be
 * one each), then delivery through a counting connector; and GET /api/conversations?q= (an unindexed search) p50/p99.
 * Usage: npm run bench:replies [-- N [RACERS]]
 */
import type { AddressInfo } from 'node:net';
import mongoose, { Types } from 'mongoose';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import type { OutboundReply } from '../../src/domain/message';
import { deliverReply } from '../../src/outbound/deliver';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { createApiToken } from '../../src/store/repositories/tokens';
import { KeywordClassifier } from '../../test/support/keyword-classifier';
import { onBenchStore } from './store';

const N = Number(process.argv[2] ?? 2000);
const RACERS = Number(process.argv[3] ?? 6);
const SAMPLE = Math.min(N, 200);
const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.ceil(p * v.length) - 1] ?? NaN;
const ms = (v: number[]) => `p50 ${pct(v, 0.5).toFixed(1)} ms, p99 ${pct(v, 0.99).toFixed(1)} ms`;

async function main() {
  await onBenchStore(async () => {
    await ConversationModel.init();
    await MessageModel.init();
    const now = Date.now();
    const ids = Array.from({ length: N }, () => new Types.ObjectId());
    await mongoose.connection.db!.collection('conversations').insertMany(
      ids.map((_id, i) => ({
        _id, channel: 'bench', account: 'bench', threadKey: `t-${i}`, kind: 'mention', customer: { handle: `@user${i}`, name: `Customer ${i}` },
        preview: i % 50 === 0 ? 'the thermostat display flickers' : 'a question about an order', department: 'support',
        routing: { method: 'model', label: 'support', confidence: 0.9 }, status: 'open', firstMessageAt: new Date(now - i * 60_000), lastMessageAt: new Date(now - i * 60_000), messageCount: 1,
      })),
    );
    const queued: string[] = [];
    const app = createApp({
      logger: createLogger('silent'),
      pipeline: { router: new Router(new KeywordClassifier([]), { threshold: 0.5, departments: DEFAULT_DEPARTMENTS.map((d) => d.key) }) },
      ingest: { maxBytes: 1024, maxBatch: 1 },
      outbox: { replyQueued: (id) => Promise.resolve(void queued.push(id)), agentMessageWritten: () => Promise.resolve() },
      canSend: () => true,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/conversations`;
    const { token } = await createApiToken('agent', 'bench');
    const post = async (id: Types.ObjectId, key: string) => {
      const started = performance.now();
      const res = await fetch(`${base}/${String(id)}/replies`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify({ text: 'We are on it' }) });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
      return performance.now() - started;
    };

    const first: number[] = [];
    const retried: number[] = [];
    for (let i = 0; i < SAMPLE; i++) first.push(await post(ids[i]!, `k-${i}`));
    for (let i = 0; i < SAMPLE; i++) retried.push(await post(ids[i]!, `k-${i}`));
    console.log(`POST /replies, ${SAMPLE} new replies at ${N} conversations: ${ms(first)}`);
    console.log(`the same POSTs retried with their Idempotency-Key: ${ms(retried)}`);

    const t = performance.now();
    const raced = ids.slice(SAMPLE, SAMPLE + SAMPLE);
    // one conversation at a time, its RACERS clients at once (all 1,200 at once overflow the listen backlog)
    for (const [i, id] of raced.entries()) await Promise.all(Array.from({ length: RACERS }, () => post(id, `race-${i}`)));
    const seconds = (performance.now() - t) / 1000;
    const stored = await MessageModel.countDocuments({ direction: 'outbound', conversationId: { $in: raced } });
    console.log(`${RACERS} clients racing one key on each of ${raced.length} conversations: ${raced.length * RACERS} POSTs in ${seconds.toFixed(1)} s, ${stored} replies stored, ${queued.length - SAMPLE} queued`);

    const sent = new Map<string, number>();
    const connector = {
      kind: 'bench',
      send: (r: OutboundReply) => {
        sent.set(r.idempotencyKey, (sent.get(r.idempotencyKey) ?? 0) + 1);
        return Promise.resolve({ externalId: `sent-${r.idempotencyKey}` });
      },
    };
    const deliveries = [...queued, ...queued.slice(0, 50)]; // some jobs run twice, as after a re-arm
    for (const id of deliveries) await deliverReply(id, { connectorFor: () => connector, maxAttempts: 3, retryBaseMs: 1000, owner: 'bench' });
    console.log(`delivered ${deliveries.length} jobs (50 run twice): ${sent.size} replies sent, ${[...sent.values()].filter((n) => n > 1).length} sent more than once`);

    const search: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const res = await fetch(`${base}?q=thermostat&limit=25`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      search.push(performance.now() - started);
    }
    console.log(`GET /api/conversations?q=thermostat (1 in 50 matches) at ${N} conversations: ${ms(search)}`);
    server.close();
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
