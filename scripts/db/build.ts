import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureAptPackages, privilege } from './apt';
import { components, type Component } from './components';
import { EmbeddedDbError } from './errors';
import { withBuildLock } from './lock';
import { BUILD_CACHE, BUILD_LOCK, FERRETDB_BINARY, PG_BIN } from './paths';
import { Progress, type Log } from './progress';
import { verifiedSources } from './sources';

export interface BuildOptions {
  /** DOCUMENTDB_SOURCES_DIR: where the four source tarballs are */
  sourcesDir?: string;
  log?: Log;
}

const stampFile = (c: Component) => path.join(BUILD_CACHE, 'stamps', `${c.name.split(' ')[0]!}.sha256`);

function isDone(c: Component): boolean {
  const stamp = stampFile(c);
  return fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === c.key && c.installs.every((f) => fs.existsSync(f));
}

async function checkGo(): Promise<void> {
  await promisify(execFile)('go', ['version']).catch(() => {
    throw new EmbeddedDbError('db_setup_needed', 'FerretDB is built with Go 1.24 or newer and `go` is not on PATH: install Go, or set MONGODB_URI');
  });
}

/**
 * Everything the embedded database needs, built once and cached in .cache/ (a stamp per component holds its
 * source's SHA-256, so a second run only checks): apt packages, libbson, pgvector, pg_cron, DocumentDB, FerretDB.
 */
export async function buildEmbeddedDb(options: BuildOptions = {}): Promise<{ ferretdb: string }> {
  const progress = new Progress(options.log ?? (() => {}));
  // two builds at once (two `npm start`s, CI beside a test) would unpack and install over each other
  return withBuildLock(BUILD_LOCK, progress, (waitedFor) => build(options, progress, waitedFor));
}

async function build(options: BuildOptions, progress: Progress, waitedFor: number | undefined): Promise<{ ferretdb: string }> {
  await ensureAptPackages(progress);
  if (!fs.existsSync(path.join(PG_BIN, 'pg_config'))) {
    throw new EmbeddedDbError('db_setup_needed', `${PG_BIN}/pg_config is missing: install postgresql-server-dev-15`);
  }
  const sources = await verifiedSources(options.sourcesDir, progress);
  const todo = components(sources).filter((c) => !isDone(c));
  if (waitedFor !== undefined) progress.say(todo.length === 0 ? `the build of pid ${waitedFor} is done: using it` : `pid ${waitedFor} ended with ${todo.length} component(s) left: building them`);
  if (todo.length === 0) return { ferretdb: FERRETDB_BINARY };
  const who = await privilege();
  if (todo.some((c) => c.needsRoot) && who === 'none') {
    throw new EmbeddedDbError('db_setup_needed', 'installing the DocumentDB extension into PostgreSQL\'s folders needs root: run `sudo npm run db:build` once');
  }
  if (todo.some((c) => c.name.startsWith('FerretDB'))) await checkGo();
  fs.mkdirSync(path.join(BUILD_CACHE, 'stamps'), { recursive: true });
  fs.mkdirSync(path.join(BUILD_CACHE, 'logs'), { recursive: true });
  progress.say(`building ${todo.length} component(s) into ${path.relative(process.cwd(), BUILD_CACHE) || BUILD_CACHE}; logs in ${path.join(BUILD_CACHE, 'logs')}`);
  for (const c of todo) {
    await progress.step(`${c.name}${c.needsRoot ? ', installed into PostgreSQL\'s folders (root)' : ''}`, () => c.build(who === 'sudo' ? ['sudo', '-n'] : []));
    fs.writeFileSync(stampFile(c), c.key);
  }
  progress.say('embedded database built');
  return { ferretdb: FERRETDB_BINARY };
}
