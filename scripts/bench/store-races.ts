/**
 * 6 connections racing on the store: claims, `$inc`, agenda jobs (the figures behind issue 10), inserts of one new
 * unique key (other than `_id`) as they come and with the app's retry, and `$inc` upserts of one absent `_id`.
 * Usage: npm run bench:races [-- mongodb://host:port/]   (no URI: a throw-away embedded store)
 */
import { isDuplicateKeyError, isTransientWriteError, retryTransient } from '../../src/store/connection';
import { raceAgendaJobs, raceClaims, raceIncrementUpserts, raceIncrements, raceUniqueInserts, type WriteOutcomes } from '../../test/support/races';
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
    const classify = (err: unknown): keyof WriteOutcomes => (isDuplicateKeyError(err) ? 'duplicate' : isTransientWriteError(err) ? 'transient' : 'other');
    const show = (o: WriteOutcomes) => `${o.applied} applied, ${o.duplicate} duplicate, ${o.transient} transient aborts, ${o.other} other errors`;
    for (const [label, write] of [['as they come', (insert: () => Promise<unknown>) => insert()], ['with retryTransient', retryTransient]] as const) {
      const started = performance.now();
      const outcomes = await raceUniqueInserts(dbs, 50, write, classify);
      console.log(`one new unique key (not _id), 6 clients × 50 rounds, ${label}: ${show(outcomes)} (${Math.round(performance.now() - started)} ms; expected 50 applied, 250 duplicate)`);
    }
    console.log(`$inc upserts of one absent _id, 6 clients × 50 rounds: ${await raceIncrementUpserts(dbs, 50)} (expected 300)`);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
