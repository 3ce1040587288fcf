/**
 * agenda's throughput on the store: N queued jobs worked off by 1 and by 4 agenda instances (each its own
 * connection, as separate workers would be), with how many ran more than once; then what queueing one outbox item
 * costs with a backlog of queued cards (a Slack outage's).
 * Usage: npm run bench:agenda [-- --jobs 300] [-- mongodb://host:port/]   (no URI: a throw-away embedded store)
 */
import { parseArgs } from 'node:util';
import type { Db } from 'mongodb';
import { createAgenda, queueOnce } from '../../src/jobs/agenda';
import { JOBS } from '../../src/jobs/outbox';
import { withBenchClients } from './bench-db';

/** Queues `jobs` jobs, starts one agenda per connection, and times until each ran; a job's work is `workMs` of waiting. */
async function run(dbs: Db[], jobs: number, workMs: number): Promise<{ ms: number; twice: number; never: number }> {
  const agendas = await Promise.all(dbs.map((db) => createAgenda(db, 100)));
  const runs = new Array<number>(jobs).fill(0);
  let done = 0;
  for (const agenda of agendas) {
    agenda.define<{ i: number }>('bench-job', async (job) => {
      if ((runs[job.attrs.data.i]! += 1) === 1) done += 1;
      await new Promise((r) => setTimeout(r, workMs));
    }, { concurrency: 5 });
  }
  for (let i = 0; i < jobs; i++) await agendas[0]!.now('bench-job', { i });
  const started = performance.now();
  await Promise.all(agendas.map((a) => a.start()));
  while (done < jobs && performance.now() - started < 300_000) await new Promise((r) => setTimeout(r, 20));
  const ms = performance.now() - started;
  await new Promise((r) => setTimeout(r, 500)); // a duplicate shows up within a few polls
  await Promise.all(agendas.map((a) => a.stop()));
  await dbs[0]!.collection('agendaJobs').deleteMany({});
  return { ms, twice: runs.filter((n) => n > 1).length, never: runs.filter((n) => n === 0).length };
}

/** ms per queueOnce of a new card while `backlog` cards wait, for each backlog in turn (nothing runs them). */
async function queueing(db: Db, backlogs: number[]): Promise<void> {
  const agenda = await createAgenda(db, 60_000);
  let queued = 0;
  const queue = async (n: number) => {
    for (let i = 0; i < n; i++) await queueOnce(agenda, JOBS.postConversation, { conversationId: `c-${queued++}` });
  };
  for (const backlog of backlogs) {
    await queue(backlog - queued);
    const started = performance.now();
    await queue(500);
    const newMs = (performance.now() - started) / 500;
    const again = performance.now();
    for (let i = 0; i < 200; i++) await queueOnce(agenda, JOBS.postConversation, { conversationId: `c-${i * 7}` });
    console.log(`queueing a card with ${backlog} queued: ${newMs.toFixed(2)} ms a new one, ${((performance.now() - again) / 200).toFixed(2)} ms one queued already`);
  }
  await agenda.stop();
  await db.collection('agendaJobs').deleteMany({});
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options: { jobs: { type: 'string', default: '300' }, work: { type: 'string', default: '10' } }, allowPositionals: true });
  const jobs = Number(values.jobs);
  const workMs = Number(values.work);
  const given = positionals[0];
  await withBenchClients(given, `agenda_bench_${Date.now()}`, 4, async (dbs) => {
    console.log(`${jobs} queued jobs, each ${workMs} ms of waiting, concurrency 5 per worker, processEvery 100 ms; workers are agenda instances on their own connections in this process`);
    for (const workers of [1, 4]) {
      const { ms, twice, never } = await run(dbs.slice(0, workers), jobs, workMs);
      console.log(`${workers} worker${workers > 1 ? 's' : ''}: ${(jobs / (ms / 1000)).toFixed(1)} jobs/s (${Math.round(ms)} ms for ${jobs}); ran twice: ${twice}, never: ${never}`);
    }
    await queueing(dbs[0]!, [0, 5_000, 20_000]);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
