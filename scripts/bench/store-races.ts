/**
 * 6 connections racing on the store: claims, `$inc` and agenda jobs (the figures behind issue 10).
 * Usage: npm run bench:races [-- mongodb://host:port/]   (no URI: a throw-away embedded store)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openClients, raceAgendaJobs, raceClaims, raceIncrements } from '../../test/support/races';
import { startBenchDb } from './bench-db';

async function main(): Promise<void> {
  const given = process.argv[2];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = given ? undefined : await startBenchDb(dataDir);
  const clients = await openClients(given ?? db!.uri, `races_${Date.now()}`, 6);
  try {
    const winners = await raceClaims(clients.dbs, 100);
    console.log(`findOneAndUpdate claims, 6 clients: ${winners.filter((n) => n === 1).length}/100 rounds with a single winner (max winners ${Math.max(...winners)})`);
    console.log(`$inc 6 × 200 on one counter: ${await raceIncrements(clients.dbs, 200)} (expected 1200)`);
    const t = performance.now();
    const runs = await raceAgendaJobs(clients.dbs.slice(0, 4), 100, 15_000);
    const ran = runs.reduce((a, b) => a + b, 0);
    console.log(`agenda, 4 instances, 100 jobs: ${runs.filter((n) => n === 1).length} ran once, ${runs.filter((n) => n === 0).length} never, ${runs.filter((n) => n > 1).length} twice or more (${ran} runs, ${Math.round(performance.now() - t)} ms)`);
  } finally {
    await clients.dbs[0]!.dropDatabase().catch(() => {});
    await clients.close();
    await db?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
