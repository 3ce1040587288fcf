import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from 'mongodb';
import { openClients } from '../../test/support/races';
import { startEmbeddedDb, type RunningEmbeddedDb } from '../db/embedded';
import { freePort } from '../db/net';

/** A throw-away embedded FerretDB 2 + PostgreSQL (fsync off, like the tests') for one benchmark run. */
export async function startBenchDb(dataDir: string): Promise<RunningEmbeddedDb> {
  const sourcesDir = process.env.DOCUMENTDB_SOURCES_DIR?.trim() || undefined;
  const db = await startEmbeddedDb({ port: await freePort(), dataDir, throwaway: true, sourcesDir, log: (line) => console.error(line) });
  console.log('store: embedded FerretDB 2.5 on PostgreSQL 15 + DocumentDB (throw-away cluster: fsync and synchronous_commit off)');
  return db;
}

/** `count` connections to a fresh database on `given` (or on a throw-away embedded store), dropped and closed after `work`. */
export async function withBenchClients(given: string | undefined, dbName: string, count: number, work: (dbs: Db[]) => Promise<void>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = given ? undefined : await startBenchDb(dataDir);
  const clients = await openClients(given ?? db!.uri, dbName, count);
  try {
    await work(clients.dbs);
  } finally {
    await clients.dbs[0]!.dropDatabase().catch(() => {});
    await clients.close();
    await db?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
