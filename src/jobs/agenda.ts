import os from 'node:os';
import { MongoBackend } from '@agendajs/mongo-backend';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agenda } from 'agenda';
import { ObjectId, type Db } from 'mongodb';
import { DEFAULT_LOCK_LIFETIME_MS } from './locks';

/** agenda's default collection (MongoBackend without a `collection` option) */
export const JOBS_COLLECTION = 'agendaJobs';

/** The data fields the outbox queues its jobs by (queueOnce): agenda's one index leads with the name only. */
const ITEM_FIELDS = ['conversationId', 'messageId'] as const;

/** One partial index per item field: without it, queueing an item reads every queued job of its name (an outage's backlog). */
async function indexItemFields(db: Db): Promise<void> {
  await db.collection(JOBS_COLLECTION).createIndexes(ITEM_FIELDS.map((field) => ({
    key: { name: 1, [`data.${field}`]: 1 },
    name: `name_1_data.${field}_1`,
    partialFilterExpression: { [`data.${field}`]: { $exists: true } },
  })));
}

/**
 * agenda on the app's own connection (agenda then leaves it open on stop). Its name is this process's own: agenda
 * writes it as `lastModifiedBy` on every lock it takes, which is how a clean stop finds the jobs to unlock.
 * `lockLifetimeMs` (JOBS_LOCK_LIFETIME_MS) is the lifetime of any job defined without one, instead of agenda's 10 minutes.
 */
export async function createAgenda(db: Db, processEveryMs: number, lockLifetimeMs = DEFAULT_LOCK_LIFETIME_MS, readyTimeoutMs = 30_000): Promise<Agenda> {
  const name = `switchboard:${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  // finished one-off jobs are removed: one job per item (queueOnce) would otherwise pile up done jobs
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db }), processEvery: processEveryMs, name, removeOnComplete: true, defaultLockLifetime: lockLifetimeMs });
  // the backend's index creation has no catch: without a timeout a failure would hang start-up
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`agenda was not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
  });
  try {
    await Promise.race([agenda.ready.then(() => indexItemFields(db)), timeout]);
  } finally {
    clearTimeout(timer);
  }
  return agenda;
}

/**
 * A clean stop: no new jobs start, running ones may finish for up to `timeoutMs`, then every job this process
 * locked and did not run is unlocked — agenda's drain() leaves those locked until their lock lifetime runs out.
 */
export async function stopAgenda(agenda: Agenda, db: Db, timeoutMs: number): Promise<{ running: number; timedOut: boolean }> {
  const controller = new AbortController();
  const draining = agenda.drain({ signal: controller.signal });
  // drain() looks for the end one tick after 'complete', before removeOnComplete has removed the job: it would wait out any timeout
  const deadline = Date.now() + timeoutMs;
  let running = await runningJobIds(agenda);
  while (running.length > 0 && Date.now() < deadline) {
    await sleep(50);
    running = await runningJobIds(agenda);
  }
  controller.abort();
  await draining;
  // a job still running past the timeout keeps its lock: it expires on its short lifetime
  await db.collection(JOBS_COLLECTION).updateMany(
    { lastModifiedBy: agenda.attrs.name, lockedAt: { $ne: null }, _id: { $nin: running } },
    { $unset: { lockedAt: 1 } },
  );
  return { running: running.length, timedOut: running.length > 0 };
}

async function runningJobIds(agenda: Agenda): Promise<ObjectId[]> {
  const stats = await agenda.getRunningStats(true).catch(() => undefined);
  const jobs = Array.isArray(stats?.runningJobs) ? stats.runningJobs : [];
  return jobs.flatMap((job) => (job._id ? [new ObjectId(String(job._id))] : []));
}

/**
 * One job per work item, run now: queueing the same item again (the reconciliation sweep) re-arms its one job —
 * also one left locked by a dead process or given up after its retries — instead of adding a second.
 */
export async function queueOnce(agenda: Agenda, name: string, data: Record<string, string>): Promise<void> {
  const key = Object.fromEntries(Object.entries(data).map(([field, value]) => [`data.${field}`, value]));
  await agenda.create(name, data).unique(key).schedule(new Date()).save();
}
