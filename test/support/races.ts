import { MongoClient, type Db } from 'mongodb';
import { createAgenda } from '../../src/jobs/agenda';

/** `count` separate MongoDB connections to one database, each its own client (its own pool). */
export async function openClients(uri: string, dbName: string, count: number): Promise<{ dbs: Db[]; close(): Promise<void> }> {
  const clients = await Promise.all(Array.from({ length: count }, () => MongoClient.connect(uri, { maxPoolSize: 2 })));
  return { dbs: clients.map((c) => c.db(dbName)), close: async () => void (await Promise.all(clients.map((c) => c.close()))) };
}

/** Each round every client tries to claim one free record; returns how many winners each round had. */
export async function raceClaims(dbs: Db[], rounds: number): Promise<number[]> {
  const claims = dbs.map((db) => db.collection<{ _id: string; owner: string | null }>('claims'));
  const winners: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const _id = `round-${round}`;
    await claims[0]!.insertOne({ _id, owner: null });
    const results = await Promise.all(
      claims.map((c, i) => c.findOneAndUpdate({ _id, owner: null }, { $set: { owner: `client-${i}` } }, { returnDocument: 'after' })),
    );
    winners.push(results.filter((doc) => doc !== null).length);
  }
  return winners;
}

/** Every client adds 1 to one counter `times` times; returns the counter's final value. */
export async function raceIncrements(dbs: Db[], times: number): Promise<number> {
  const counters = dbs.map((db) => db.collection<{ _id: string; n: number }>('counters'));
  await counters[0]!.insertOne({ _id: 'shared', n: 0 });
  await Promise.all(counters.map(async (c) => {
    for (let i = 0; i < times; i++) await c.updateOne({ _id: 'shared' }, { $inc: { n: 1 } });
  }));
  return (await counters[0]!.findOne({ _id: 'shared' }))?.n ?? 0;
}

/** `jobs` queued, then one agenda per connection works them off; returns how often each job ran (index = job). */
export async function raceAgendaJobs(dbs: Db[], jobs: number, timeoutMs: number): Promise<number[]> {
  const agendas = await Promise.all(dbs.map((db) => createAgenda(db, 100)));
  const runs = new Array<number>(jobs).fill(0);
  for (const agenda of agendas) {
    agenda.define<{ i: number }>('race-job', async (job) => {
      runs[job.attrs.data.i]! += 1;
      await new Promise((r) => setTimeout(r, 5)); // long enough for a twin to pick the same job on a non-atomic store
    });
  }
  for (let i = 0; i < jobs; i++) await agendas[0]!.now('race-job', { i });
  await Promise.all(agendas.map((a) => a.start()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && runs.some((n) => n === 0)) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 500)); // a duplicate run shows up within a few polls
  await Promise.all(agendas.map((a) => a.stop()));
  return runs;
}

/** What the writes of one race ended in: applied, refused as a duplicate key, aborted as transient, other errors. */
export interface WriteOutcomes {
  applied: number;
  duplicate: number;
  transient: number;
  other: number;
}

/**
 * Each round every client inserts one new key of a unique index other than `_id` (through `write`, so a caller can
 * add retries); returns how the writes ended, counted as `classify` names each error.
 */
export async function raceUniqueInserts(dbs: Db[], rounds: number, write: (insert: () => Promise<unknown>) => Promise<unknown>, classify: (err: unknown) => keyof WriteOutcomes): Promise<WriteOutcomes> {
  const outcomes: WriteOutcomes = { applied: 0, duplicate: 0, transient: 0, other: 0 };
  const name = `unique_${Date.now()}`;
  await dbs[0]!.collection(name).createIndex({ key: 1 }, { unique: true });
  for (let round = 0; round < rounds; round++) {
    await Promise.all(dbs.map(async (db, i) => {
      try {
        await write(() => db.collection(name).insertOne({ key: round, client: i }));
        outcomes.applied += 1;
      } catch (err) {
        outcomes[classify(err)] += 1;
      }
    }));
  }
  return outcomes;
}

/** Each round every client `$inc`s one absent document by `_id` with an upsert; returns the counters' sum (rounds × clients on MongoDB). */
export async function raceIncrementUpserts(dbs: Db[], rounds: number): Promise<number> {
  const counters = dbs.map((db) => db.collection<{ _id: string; n: number }>('upserted_counters'));
  for (let round = 0; round < rounds; round++) {
    await Promise.all(counters.map((c) => c.updateOne({ _id: `round-${round}` }, { $inc: { n: 1 } }, { upsert: true })));
  }
  return (await counters[0]!.find().toArray()).reduce((sum, d) => sum + d.n, 0);
}
