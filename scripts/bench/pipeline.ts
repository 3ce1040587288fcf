/**
 * Messages per second through the whole pipeline (direct and through the webhook in batches),
 * and the embedded store's raw insertMany rate in the same run. Usage: npm run bench:pipeline [-- N]
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
import { ingestBatch } from '../../src/ingest/pipeline';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { createApiToken } from '../../src/store/repositories/tokens';
import { startBenchDb } from './bench-db';

const N = Number(process.argv[2] ?? 2000);
const BATCH = 100;
const seed = loadSeedExamples();

/** Tweet-like texts from our seed examples; every fourth message follows up an earlier thread. */
function messages(prefix: string, channel: string): InboundMessage[] {
  return Array.from({ length: N }, (_, i) => ({
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

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = await startBenchDb(dataDir);
  try {
    await connectStore(db.uri, 'bench');
    const router = new Router(train(seed), { threshold: 0.5, departments: DEFAULT_DEPARTMENTS.map((d) => d.key) });

    let t = performance.now();
    await ingestBatch(messages('direct', 'bench-direct'), { router });
    console.log(`pipeline, direct:           ${rate(N, performance.now() - t)}`);

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
    console.log(`pipeline, webhook (${BATCH}/batch): ${rate(N, performance.now() - t)}`);
    server.close();

    const raw = mongoose.connection.db!.collection('raw_bench');
    const docs = messages('raw', 'raw').map((m) => ({ ...m }));
    t = performance.now();
    for (let i = 0; i < docs.length; i += 1000) await raw.insertMany(docs.slice(i, i + 1000));
    console.log(`store insertMany (1000/call): ${rate(N, performance.now() - t).replace('msg', 'docs')}`);
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
