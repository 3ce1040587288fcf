import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { buildEmbeddedDb } from './build';
import { EmbeddedDbError } from './errors';
import { acquireLock } from './lock';
import { freePort, sleep } from './net';
import { createExtension, initCluster, pgUser, refuseCrashedThrowaway, startPostgres, stopChild, stopLeftover, type RunningPostgres } from './postgres';
import type { Log } from './progress';

export interface EmbeddedDbOptions {
  /** FerretDB's port on 127.0.0.1 (PostgreSQL takes a free one beside it) */
  port: number;
  dataDir: string;
  /** a test cluster: fsync and synchronous_commit off */
  throwaway?: boolean;
  sourcesDir?: string;
  startTimeoutMs?: number;
  log?: Log;
}

export interface RunningEmbeddedDb {
  uri: string;
  port: number;
  /** the two servers' processes (the restart test kills them) */
  pids: { ferretdb: number; postgres: number };
  /** stops FerretDB, then PostgreSQL, and releases the data folder */
  stop(): Promise<void>;
}

/** True once the server answers a `ping` (a listening socket alone is not an answer). */
async function answersPing(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 1_000, directConnection: true });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

function warnAboutOldFiles(dataDir: string, log: Log): void {
  if (fs.readdirSync(dataDir).some((f) => f.endsWith('.sqlite'))) {
    log(`${dataDir} holds FerretDB 1.24's SQLite files: the store is now PostgreSQL (in ${path.join(dataDir, 'pg')}) and does not read them`);
  }
}

/** FerretDB 2.5 in front of PostgreSQL 15 + DocumentDB, both on 127.0.0.1; built first if needed. */
export async function startEmbeddedDb(options: EmbeddedDbOptions): Promise<RunningEmbeddedDb> {
  const log = options.log ?? (() => {});
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const { ferretdb } = await buildEmbeddedDb({ sourcesDir: options.sourcesDir, log });
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const release = acquireLock(dataDir, options.port);
  let postgres: RunningPostgres | undefined;
  try {
    warnAboutOldFiles(dataDir, log);
    const user = pgUser();
    const pgDir = await initCluster(dataDir, options.throwaway ?? false, user);
    await stopLeftover(pgDir, log);
    refuseCrashedThrowaway(pgDir);
    const pgPort = await freePort();
    postgres = await startPostgres(pgDir, pgPort, user, timeoutMs);
    await createExtension(dataDir, pgPort);
    const out = fs.openSync(path.join(dataDir, 'ferretdb.log'), 'a');
    const args = ['-listen', `127.0.0.1:${options.port}`, '-postgresql-url', `postgres://postgres@127.0.0.1:${pgPort}/postgres`, '-state-dir', path.join(dataDir, 'state')];
    const child = spawn(ferretdb, args, { env: { ...process.env, DO_NOT_TRACK: '1' }, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    child.once('error', () => {}); // reported through the exit code below
    const pg = postgres;
    // a process that exits without stop() must not leave servers behind
    const onExit = () => {
      child.kill('SIGTERM');
      pg.child.kill('SIGINT');
    };
    process.once('exit', onExit);
    const stop = async () => {
      process.removeListener('exit', onExit);
      await stopChild(child, 'SIGTERM', 'SIGKILL', 10_000);
      await pg.stop();
      release();
    };
    const uri = `mongodb://127.0.0.1:${options.port}/`;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await answersPing(uri)) return { uri, port: options.port, pids: { ferretdb: child.pid!, postgres: pg.child.pid! }, stop };
      await sleep(100);
    }
    const why = child.exitCode === null ? `did not answer within ${timeoutMs} ms` : `exited with code ${child.exitCode}`;
    await stop();
    const tail = fs.readFileSync(path.join(dataDir, 'ferretdb.log'), 'utf8').trimEnd().split('\n').slice(-10).join('\n');
    throw new EmbeddedDbError('db_start_failed', `FerretDB on 127.0.0.1:${options.port} ${why}:\n${tail}`);
  } catch (err) {
    await postgres?.stop();
    release();
    throw err;
  }
}
