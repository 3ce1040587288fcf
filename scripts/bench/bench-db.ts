import { startEmbeddedDb, type RunningEmbeddedDb } from '../db/embedded';
import { freePort } from '../db/net';

/** A throw-away embedded FerretDB 2 + PostgreSQL (fsync off, like the tests') for one benchmark run. */
export async function startBenchDb(dataDir: string): Promise<RunningEmbeddedDb> {
  const sourcesDir = process.env.DOCUMENTDB_SOURCES_DIR?.trim() || undefined;
  const db = await startEmbeddedDb({ port: await freePort(), dataDir, throwaway: true, sourcesDir, log: (line) => console.error(line) });
  console.log('store: embedded FerretDB 2.5 on PostgreSQL 15 + DocumentDB (throw-away cluster: fsync and synchronous_commit off)');
  return db;
}
