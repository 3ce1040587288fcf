/**
 * GET /api/conversations at N conversations: the plan DocumentDB picks for each typical filter (its index),
 * request p50/p99/max over HTTP for a first page and a deep cursor page, then CLIENTS concurrent clients for
 * SECONDS counting status codes. Usage: npm run bench:conversations [-- N [SECONDS [CLIENTS]]]
 */
import type { AddressInfo } from 'node:net';
import mongoose, { Types } from 'mongoose';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS, TRIAGE } from '../../src/domain/department';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { ConversationModel } from '../../src/store/models/conversation';
import { decodeCursor, LIST_SORT, listHint, listQuery } from '../../src/store/repositories/conversations';
import { createApiToken } from '../../src/store/repositories/tokens';
import { KeywordClassifier } from '../../test/support/keyword-classifier';
import { planSummary } from './explain';
import { onBenchStore } from './store';

const N = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 60);
const CLIENTS = Number(process.argv[4] ?? 20);
const REQUESTS = 100;
const DEEP_PAGES = 20;
const DEPTS = [...DEFAULT_DEPARTMENTS.map((d) => d.key), TRIAGE];
const STATUSES = ['open', 'open', 'waiting', 'resolved', 'resolved', 'resolved'];
const HOUR = 3_600_000;

function conversation(i: number, now: number) {
  // spread over 180 days, busier recently; departments and statuses unevenly
  const age = Math.floor(180 * 24 * HOUR * (i / N) ** 2) + (i % 3600) * 1000;
  const first = new Date(now - age - (i % 7) * HOUR);
  const last = new Date(now - age);
  const department = DEPTS[(i * 7) % 11 % DEPTS.length]!;
  return {
    _id: new Types.ObjectId(),
    channel: i % 4 === 0 ? 'webhook' : 'x',
    account: 'bench',
    threadKey: `t-${i}`,
    kind: i % 5 === 0 ? 'dm' : 'mention',
    customer: { handle: `@user${i % 5000}` },
    preview: 'a customer wrote something about the thermostat',
    department,
    routing: { method: 'model', label: department, confidence: 0.9 },
    status: STATUSES[i % STATUSES.length],
    firstMessageAt: first,
    lastMessageAt: last,
    messageCount: 1 + (i % 5),
    createdAt: first,
    updatedAt: last,
  };
}

const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.ceil(p * v.length) - 1] ?? NaN;
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main() {
  await onBenchStore(async () => {
    await ConversationModel.init();
    const raw = mongoose.connection.db!.collection('conversations');
    const now = Date.now();
    let t = performance.now();
    for (let i = 0; i < N; i += 2000) {
      await raw.insertMany(Array.from({ length: Math.min(2000, N - i) }, (_, j) => conversation(i + j, now)), { ordered: false });
    }
    console.log(`inserted ${N} conversations in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const app = createApp({
      logger: createLogger('silent'),
      pipeline: { router: new Router(new KeywordClassifier([]), { threshold: 0.5, departments: DEPTS }) },
      ingest: { maxBytes: 1024, maxBatch: 1 },
    });
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/conversations`;
    const { token } = await createApiToken('agent', 'bench');
    const headers = { authorization: `Bearer ${token}` };
    const get = async (query: string) => {
      const res = await fetch(`${base}?${query}`, { headers });
      const body = (await res.json()) as { nextCursor?: string | null };
      return { status: res.status, nextCursor: body.nextCursor ?? null };
    };

    const since = new Date(now - 7 * 24 * HOUR).toISOString();
    const cases = [
      ['no filter', ''],
      ['department', 'department=support'],
      ['status', 'status=open'],
      ['department + status', 'department=sales&status=open'],
      ['channel', 'channel=webhook'],
      ['since 7 days', `since=${since}`],
      ['department + status + since', `department=support&status=open&since=${since}`],
      // a search filters what the list index gives: a word every preview has, a customer 20 conversations have, nothing
      ['search, every conversation', 'q=thermostat'],
      ['search, one customer', 'q=user4321'],
      ['search, no match', 'q=no-such-words'],
    ] as const;
    for (const [name, query] of cases) {
      let cursor: string | null = null;
      for (let page = 0; page < DEEP_PAGES; page++) {
        const next = await get(`${query}&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
        if (!next.nextCursor) break;
        cursor = next.nextCursor;
      }
      const filter = Object.fromEntries(new URLSearchParams(query));
      const plan = (at?: string) => {
        const parsed = { ...filter, since: filter.since ? new Date(filter.since) : undefined };
        const find = ConversationModel.find(listQuery(parsed, at ? decodeCursor(at)! : undefined)).sort(LIST_SORT).limit(26);
        const hint = listHint(parsed);
        return (hint ? find.hint(hint) : find).explain();
      };
      for (const [label, q] of [['first page', `${query}&limit=25`], [`page ${DEEP_PAGES + 1}`, `${query}&limit=25${cursor ? `&cursor=${cursor}` : ''}`]] as const) {
        const latencies: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          t = performance.now();
          const { status } = await get(q);
          if (status !== 200) throw new Error(`${name}: answered ${status}`);
          latencies.push(performance.now() - t);
        }
        console.log(`${name}, ${label}: p50 ${ms(pct(latencies, 0.5))}, p99 ${ms(pct(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`);
      }
      console.log(`  first page plan: ${planSummary(await plan())}`);
      console.log(`  page ${DEEP_PAGES + 1} plan: ${planSummary(await plan(cursor ?? undefined))}`);
    }

    const statuses = new Map<number, number>();
    const latencies: number[] = [];
    const until = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = c; performance.now() < until; i += CLIENTS) {
          const started = performance.now();
          const status = await get(`${cases[i % cases.length]![1]}&limit=25`).then((r) => r.status, () => 0);
          latencies.push(performance.now() - started);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    const fives = [...statuses].filter(([s]) => s >= 500).reduce((n, [, count]) => n + count, 0);
    const counts = [...statuses].map(([s, n]) => `${s === 0 ? 'no answer' : s}: ${n}`).join(', ');
    console.log(`${CLIENTS} clients for ${SECONDS} s: ${latencies.length} requests (${counts}), 5xx ${fives}, p50 ${ms(pct(latencies, 0.5))}, p99 ${ms(pct(latencies, 0.99))}`);
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
