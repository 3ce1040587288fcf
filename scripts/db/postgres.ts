import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedDbError } from './errors';
import { isAlive } from './lock';
import { sleep } from './net';
import { PG_BIN } from './paths';
import { run, type Log } from './progress';

const SETPRIV = '/usr/bin/setpriv';

export interface PgUser {
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: then the cluster belongs to and runs as Debian's `postgres` user. */
export function pgUser(): PgUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new EmbeddedDbError('db_setup_needed', 'running as root, PostgreSQL needs the `postgres` user (created by the postgresql-15 package)');
  }
}

const settings = (throwaway: boolean) => [
  "listen_addresses = '127.0.0.1'",
  "unix_socket_directories = ''", // TCP on loopback only: no socket path to share or outgrow
  "shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'",
  "cron.database_name = 'postgres'",
  // FerretDB 2.5's recommended DocumentDB settings
  'documentdb.enableCompact = true',
  'documentdb.enableLetAndCollationForQueryMatch = true',
  'documentdb.enableNowSystemVariable = true',
  'documentdb.enableSortbyIdPushDownToPrimaryKey = true',
  'documentdb.enableSchemaValidation = true',
  'documentdb.enableBypassDocumentValidation = true',
  // composite index terms (one ordered term per document, not one per field): indexed inserts ~10x faster (ARCHITECTURE.md)
  'documentdb.defaultUseCompositeOpClass = true',
  // a throw-away test cluster trades crash safety for speed
  ...(throwaway ? ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off'] : []),
];

/** `initdb` into DATA_DIR/pg on first use, with the settings DocumentDB needs. */
export async function initCluster(dataDir: string, throwaway: boolean, user: PgUser | undefined): Promise<string> {
  const pgDir = path.join(dataDir, 'pg');
  if (fs.existsSync(path.join(pgDir, 'PG_VERSION'))) return pgDir;
  fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  if (user) {
    for (const dir of [dataDir, pgDir]) fs.chownSync(dir, user.uid, user.gid);
    if (spawnSync('test', ['-w', pgDir], user).status !== 0) {
      throw new EmbeddedDbError('db_start_failed', `PostgreSQL runs as the postgres user, who cannot reach ${pgDir}: put FERRETDB_DATA_DIR under folders others may enter`);
    }
  }
  const args = ['-D', pgDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', ...(throwaway ? ['--no-sync'] : [])];
  await run(path.join(PG_BIN, 'initdb'), args, { cwd: dataDir, user, logFile: path.join(dataDir, 'initdb.log'), failCode: 'db_start_failed' });
  fs.appendFileSync(path.join(pgDir, 'postgresql.conf'), `\n# Switchboard's embedded store\n${settings(throwaway).join('\n')}\n`);
  return pgDir;
}

/**
 * A PostgreSQL left running on this cluster by a process that died (kill -9) is stopped before ours starts; the
 * postmaster.pid of a killed one whose pid now belongs to another program is removed (PostgreSQL would refuse to start).
 */
export async function stopLeftover(pgDir: string, log: Log): Promise<void> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !isAlive(pid)) return; // PostgreSQL replaces the file of a dead postmaster itself
  const program = fs.existsSync(`/proc/${pid}/comm`) ? fs.readFileSync(`/proc/${pid}/comm`, 'utf8') : 'postgres';
  if (!program.startsWith('postgres')) {
    log(`removing ${pidFile}: its PostgreSQL (pid ${pid}) is gone and the pid now belongs to another program`);
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log(`stopping the PostgreSQL (pid ${pid}) a previous run left on ${pgDir}`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(100);
}

/**
 * A throw-away cluster (fsync, synchronous_commit and full_page_writes off) that was not shut down cleanly is refused:
 * after a kill -9 of its PostgreSQL, DocumentDB's updates on it were seen spinning forever on a corrupt index.
 */
export function refuseCrashedThrowaway(pgDir: string): void {
  if (!fs.readFileSync(path.join(pgDir, 'postgresql.conf'), 'utf8').includes('\nsynchronous_commit = off')) return;
  const control = spawnSync(path.join(PG_BIN, 'pg_controldata'), ['-D', pgDir], { encoding: 'utf8' });
  const state = /Database cluster state:\s*(.+)/.exec(control.stdout ?? '')?.[1]?.trim();
  if (state === undefined || state === 'shut down') return;
  throw new EmbeddedDbError('db_start_failed', `the throw-away cluster in ${pgDir} was not shut down cleanly (${state}): without fsync and ` +
    'full page writes its files cannot be trusted after a crash; start on a new folder, or without throwaway for a cluster that must survive kill -9');
}

export interface RunningPostgres {
  child: ChildProcess;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a child with `signal`, then `hard` if it is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, hard: NodeJS.Signals, graceMs = 20_000): Promise<void> {
  const gone = exited(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill(hard), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Starts `postgres` on 127.0.0.1:port as a child of ours and waits until it accepts connections. */
export async function startPostgres(pgDir: string, port: number, user: PgUser | undefined, timeoutMs: number): Promise<RunningPostgres> {
  const logFile = path.join(pgDir, '..', 'postgres.log');
  const out = fs.openSync(logFile, 'a');
  // DocumentDB aborts one of two inserts of a unique key (other than _id) as a deadlock, which PostgreSQL looks for
  // only after deadlock_timeout (1 s by default); our statements take milliseconds. On the command line, for old clusters too.
  const postgres = [path.join(PG_BIN, 'postgres'), '-D', pgDir, '-p', String(port), '-c', 'deadlock_timeout=50ms'];
  // util-linux's setpriv makes the kernel stop PostgreSQL (fast shutdown) when we die, even by kill -9
  const [command, ...args] = fs.existsSync(SETPRIV)
    ? [SETPRIV, ...(user ? [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups'] : []), '--pdeathsig', 'INT', '--', ...postgres]
    : postgres;
  const child = spawn(command!, args, { cwd: path.dirname(pgDir), stdio: ['ignore', out, out], ...(fs.existsSync(SETPRIV) ? {} : user) });
  fs.closeSync(out);
  child.once('error', () => {}); // an exit code follows and is reported below
  // SIGINT is PostgreSQL's fast shutdown; SIGQUIT its immediate one
  const stop = () => stopChild(child, 'SIGINT', 'SIGQUIT');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    if (spawnSync(path.join(PG_BIN, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '1']).status === 0) return { child, stop };
    await sleep(100);
  }
  await stop();
  const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  throw new EmbeddedDbError('db_start_failed', `PostgreSQL did not start on 127.0.0.1:${port}:\n${tail}\n(log: ${logFile})`);
}

/** DocumentDB and what it needs (pg_cron, vector, postgis, rum, ...) in the cluster's `postgres` database. */
export async function createExtension(dataDir: string, port: number): Promise<void> {
  const args = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE'];
  await run(path.join(PG_BIN, 'psql'), args, { logFile: path.join(dataDir, 'postgres.log'), failCode: 'db_start_failed' });
}
