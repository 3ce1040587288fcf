/**
 * The SLA figures endpoint at 100,000 conversations: load time of the in-memory fact set, its
 * memory, and request latency over HTTP (p50/p99). Usage: npm run bench:sla [-- N [REQUESTS]]
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Types } from 'mongoose';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { ConversationFacts } from '../../src/sla/facts';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { createApiToken } from '../../src/store/repositories/tokens';
import { KeywordClassifier } from '../../test/support/keyword-classifier';
import { startBenchDb } from './bench-db';

const N = Number(process.argv[2] ?? 100_000);
const REQUESTS = Number(process.argv[3] ?? 300);
const DEPTS = DEFAULT_DEPARTMENTS.map((d) => d.key);
const HOUR = 3_600_000;

function conversation(i: number, now: number) {
  const start = new Date(now - (i % (90 * 24)) * HOUR - (i % 60) * 60_000);
  const answered = i % 7 !== 0;
  const resolved = i % 3 === 0;
  return {
    _id: new Types.ObjectId(),
    channel: i % 4 === 0 ? 'webhook' : 'x',
    account: 'bench',
    threadKey: `t-${i}`,
    kind: 'mention',
    customer: { handle: `@user${i % 5000}` },
    preview: 'a customer wrote something about the thermostat',
    department: DEPTS[i % DEPTS.length],
    routing: { method: 'model', label: DEPTS[i % DEPTS.length], confidence: 0.9 },
    status: resolved ? 'resolved' : 'open',
    assignee: { name: `agent${i % 12}` },
    firstMessageAt: start,
    lastMessageAt: start,
    messageCount: 1,
    sla: {
      department: DEPTS[i % DEPTS.length],
      startedAt: start,
      firstResponseDueAt: new Date(start.getTime() + HOUR),
      ...(answered ? { firstResponseAt: new Date(start.getTime() + (i % 97) * 60_000), firstResponseMinutes: i % 97 } : {}),
      resolutionDueAt: new Date(start.getTime() + 24 * HOUR),
      ...(resolved ? { resolvedAt: new Date(start.getTime() + (i % 2000) * 60_000), resolutionMinutes: i % 2000 } : {}),
      waitingMinutes: 0,
      nextResponseBreaches: i % 11 === 0 ? 1 : 0,
    },
  };
}

const pct = (v: number[], p: number) => [...v].sort((a, b) => a - b)[Math.ceil(p * v.length) - 1] ?? NaN;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = await startBenchDb(dataDir);
  try {
    await connectStore(db.uri, 'bench');
    const now = Date.now();
    let t = performance.now();
    const raw = mongoose.connection.db!.collection('conversations');
    for (let i = 0; i < N; i += 2000) await raw.insertMany(Array.from({ length: Math.min(2000, N - i) }, (_, j) => conversation(i + j, now)));
    console.log(`inserted ${N} conversations in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const before = process.memoryUsage().heapUsed;
    const facts = new ConversationFacts();
    t = performance.now();
    await facts.load();
    const loadSeconds = (performance.now() - t) / 1000;
    global.gc?.();
    console.log(`fact set: ${facts.size} conversations loaded in ${loadSeconds.toFixed(1)} s, heap +${((process.memoryUsage().heapUsed - before) / 1e6).toFixed(0)} MB`);

    const app = createApp({
      logger: createLogger('silent'),
      pipeline: { router: new Router(new KeywordClassifier([]), { threshold: 0.5, departments: DEPTS }) },
      ingest: { maxBytes: 1024, maxBatch: 1 },
      sla: { facts, policyOf: (k) => DEFAULT_DEPARTMENTS.find((d) => d.key === k)?.sla, warnAt: 0.8 },
    });
    const server = app.listen(0);
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    const { token } = await createApiToken('manager', 'bench');
    const headers = { authorization: `Bearer ${token}` };
    const windows = [7, 30, 90].map((days) => `from=${new Date(now - days * 24 * HOUR).toISOString()}&to=${new Date(now).toISOString()}`);
    const latencies: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const url = `${base}/reports/sla?${windows[i % 3]}&groupBy=${['department', 'channel', 'agent'][i % 3]}`;
      t = performance.now();
      const res = await fetch(url, { headers });
      await res.json();
      if (res.status !== 200) throw new Error(`answered ${res.status}`);
      latencies.push(performance.now() - t);
    }
    console.log(`GET /api/reports/sla at ${N} conversations: p50 ${pct(latencies, 0.5).toFixed(1)} ms, p99 ${pct(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms (${REQUESTS} requests, windows 7/30/90 days, by department/channel/agent)`);
    server.close();
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
