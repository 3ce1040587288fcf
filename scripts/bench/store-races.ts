/**
 * 6 connections racing on the store: claims, `$inc` and agenda jobs (the figures behind issue 10).
 * Usage: npm run bench:races [-- mongodb://host:port/]   (no URI: a throw-away embedded store)
 */
import { raceAgendaJobs, raceClaims, raceIncrements } from '../../test/support/races';
import { withBenchClients } from './bench-db';

async function main(): Promise<void> {
  const given = process.argv[2];
  await withBenchClients(given, `races_${Date.now()}`, 6, async (dbs) => {
    const winners = await raceClaims(dbs, 100);
    console.log(`findOneAndUpdate claims, 6 clients: ${winners.filter((n) => n === 1).length}/100 rounds with a single winner (max winners ${Math.max(...winners)})`);
    console.log(`$inc 6 × 200 on one counter: ${await raceIncrements(dbs, 200)} (expected 1200)`);
    const t = performance.now();
    const runs = await raceAgendaJobs(dbs.slice(0, 4), 100, 15_000);
    const ran = runs.reduce((a, b) => a + b, 0);
    console.log(`agenda, 4 instances, 100 jobs: ${runs.filter((n) => n === 1).length} ran once, ${runs.filter((n) => n === 0).length} never, ${runs.filter((n) => n > 1).length} twice or more (${ran} runs, ${Math.round(performance.now() - t)} ms)`);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
