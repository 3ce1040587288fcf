/**
 * The SLA figures endpoint at 100,000 conversations, computed on the server: request latency over HTTP
 * (p50/p99) counted from the first request after a fresh start (new connection, new app, no warm-up),
 * then the at-risk lists. The data looks like a company's: of the conversations older than 3 days 2.5% are open.
 * The daily rollups are built after the load, as a running app's job would have them; `before` also measures the
 * report without them first (every window aggregated raw). Usage: npm run bench:sla [-- N [REQUESTS [before]]]
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { OPEN_FILTER } from '../../src/sla/pipeline';
import { refreshSlaRollups } from '../../src/sla/rollup';
import { SlaRollupModel } from '../../src/store/models/sla-rollup';
import { ConversationModel } from '../../src/store/models/conversation';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { createApiToken } from '../../src/store/repositories/tokens';
import { KeywordClassifier } from '../../test/support/keyword-classifier';
import { startBenchDb } from './bench-db';
import { conversation, policyOf } from './sla-data';

const N = Number(process.argv[2] ?? 100_000);
const REQUESTS = Number(process.argv[3] ?? 300);
const BEFORE = process.argv[4] === 'before';
const DEPTS = DEFAULT_DEPARTMENTS.map((d) => d.key);
const HOUR = 3_600_000;

const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.ceil(p * v.length) - 1] ?? NaN;
const figures = (v: number[]) => `p50 ${pct(v, 0.5).toFixed(1)} ms, p99 ${pct(v, 0.99).toFixed(1)} ms, max ${Math.max(...v).toFixed(1)} ms`;

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  await res.json();
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return performance.now() - t;
}

/** A fresh start (new connection, new app), then the report and the at-risk lists, counted from the first request. */
async function measure(uri: string, now: number): Promise<void> {
  // the start: a new connection and a new app, then the first request is the first one measured
  const t = performance.now();
  await connectStore(uri, 'bench');
  const app = createApp({
    logger: createLogger('silent'),
    pipeline: { router: new Router(new KeywordClassifier([]), { threshold: 0.5, departments: DEPTS }) },
    ingest: { maxBytes: 1024, maxBatch: 1 },
    sla: { policyOf },
  });
  const server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  console.log(`started (connect, indexes checked, listening) in ${((performance.now() - t) / 1000).toFixed(1)} s; nothing to load`);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  const { token } = await createApiToken('manager', `bench-${Date.now()}`);
  const headers = { authorization: `Bearer ${token}` };
  const windows = [7, 30, 90].map((days) => `from=${new Date(now - days * 24 * HOUR).toISOString()}&to=${new Date(now).toISOString()}`);
  const latencies: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    latencies.push(await timed(`${base}/reports/sla?${windows[i % 3]}&groupBy=${['department', 'channel', 'agent'][i % 3]}`, headers));
  }
  console.log(`GET /api/reports/sla at ${N} conversations: first request ${latencies[0]!.toFixed(1)} ms; ${figures(latencies)} (${REQUESTS} requests from the first, windows 7/30/90 days, by department/channel/agent)`);
  const ninety = latencies.filter((_, i) => i % 3 === 2);
  console.log(`  of which the 90-day windows (every conversation): ${figures(ninety)}`);
  const watch: number[] = [];
  for (let i = 0; i < Math.max(10, REQUESTS / 10); i++) watch.push(await timed(`${base}/conversations/at-risk?limit=20`, headers));
  console.log(`GET /api/conversations/at-risk?limit=20: ${figures(watch)} (${watch.length} requests)`);
  server.close();
  await disconnectStore();
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = await startBenchDb(dataDir);
  try {
    await connectStore(db.uri, 'bench');
    const now = Date.now();
    const raw = mongoose.connection.db!.collection('conversations');
    // indexes are built after the bulk load: one build is faster than keeping five up to date per insert
    await raw.dropIndexes();
    let t = performance.now();
    for (let i = 0; i < N; i += 2000) await raw.insertMany(Array.from({ length: Math.min(2000, N - i) }, (_, j) => conversation(i + j, now)));
    console.log(`inserted ${N} conversations in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    t = performance.now();
    await ConversationModel.createIndexes();
    console.log(`indexes built in ${((performance.now() - t) / 1000).toFixed(1)} s; ${await ConversationModel.countDocuments(OPEN_FILTER)} open`);
    await disconnectStore();

    if (BEFORE) {
      console.log('before: without rollups');
      await measure(db.uri, now);
    }
    await connectStore(db.uri, 'bench');
    t = performance.now();
    const built = await refreshSlaRollups(new Date());
    console.log(`rollups built for ${built.days} days in ${((performance.now() - t) / 1000).toFixed(1)} s (${await SlaRollupModel.countDocuments()} documents)`);
    await disconnectStore();
    await measure(db.uri, now);
  } finally {
    await disconnectStore();
    await db.stop();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
