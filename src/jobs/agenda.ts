import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda } from 'agenda';
import type { Db } from 'mongodb';

/** agenda on the app's own connection (agenda then leaves it open on stop). */
export async function createAgenda(db: Db, processEveryMs: number, readyTimeoutMs = 30_000): Promise<Agenda> {
  // finished one-off jobs are removed: FerretDB scans the whole jobs table on every poll
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db }), processEvery: processEveryMs, name: 'switchboard', removeOnComplete: true });
  // the backend's index creation has no catch: without a timeout a failure would hang start-up
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`agenda was not ready within ${readyTimeoutMs} ms`)), readyTimeoutMs);
  });
  try {
    await Promise.race([agenda.ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
  return agenda;
}

/**
 * One job per work item, run now: queueing the same item again (the reconciliation sweep) re-arms its one job —
 * also one left locked by a dead process or given up after its retries — instead of adding a second.
 */
export async function queueOnce(agenda: Agenda, name: string, data: Record<string, string>): Promise<void> {
  const key = Object.fromEntries(Object.entries(data).map(([field, value]) => [`data.${field}`, value]));
  await agenda.create(name, data).unique(key).schedule(new Date()).save();
}
