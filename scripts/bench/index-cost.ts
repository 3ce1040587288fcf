/**
 * What secondary indexes cost an insert on the store: insertMany of N conversation-shaped documents into collections
 * with 0, 1, 3 and all of the Conversation model's indexes, with DocumentDB's default index terms and its composite
 * (ordered) ones. Usage: npm run bench:index-cost [-- N]   (default 10,000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { ConversationModel } from '../../src/store/models/conversation';
import { startBenchDb } from './bench-db';

const N = Number(process.argv[2] ?? 10_000);

function doc(i: number) {
  const at = new Date(Date.now() - i * 1000);
  return {
    channel: 'x', account: 'bench', threadKey: `t-${i}`, kind: 'mention', customer: { handle: `@user${i % 500}` },
    preview: 'my thermostat stopped heating', department: ['support', 'sales', 'product'][i % 3], triaged: false,
    routing: { method: 'model', label: 'support', confidence: 0.9, scores: { support: 0.9, other: 0.1 }, terms: [] },
    status: 'open', firstMessageAt: at, lastMessageAt: at, messageCount: 1, routingPending: true, productFeedback: false,
    sla: { running: [{ target: 'firstResponse', dueAt: at, warnAt: at, alertAt: at }] }, createdAt: at, updatedAt: at, __v: 0,
  };
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = await startBenchDb(dataDir);
  const client = await MongoClient.connect(db.uri);
  try {
    const d = client.db('bench_index_cost');
    // the first inserts of a fresh cluster are slow: warm it before timing
    await d.collection('warm').insertMany(Array.from({ length: 1000 }, (_, i) => doc(i)));
    const all = ConversationModel.schema.indexes().map(([key]) => key as Record<string, 1 | -1>);
    for (const ordered of [false, true]) {
      for (const count of [0, 1, 3, all.length]) {
        const name = `c_${count}_${ordered ? 'ordered' : 'default'}`;
        await d.createCollection(name);
        if (count > 0) {
          // said either way: the embedded store makes composite terms the default (scripts/db/postgres.ts)
          const indexes = all.slice(0, count).map((key, i) => ({ key, name: `i${i}`, enableOrderedIndex: ordered }));
          await d.command({ createIndexes: name, indexes });
        }
        const docs = Array.from({ length: N }, (_, i) => doc(i));
        const t = performance.now();
        for (let i = 0; i < N; i += 1000) await d.collection(name).insertMany(docs.slice(i, i + 1000));
        const ms = performance.now() - t;
        console.log(`${ordered ? 'composite (ordered) terms' : 'default terms'}, ${count} secondary indexes: ${Math.round((N / ms) * 1000)} docs/s (${(ms / 1000).toFixed(2)} s)`);
      }
    }
  } finally {
    await client.close();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
