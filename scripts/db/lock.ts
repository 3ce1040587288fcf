import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedDbError } from './errors';
import { sleep } from './net';
import type { Progress } from './progress';

export interface LockInfo {
  pid: number;
  port?: number;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Taken = { release: () => void } | { holder: LockInfo };

/** Creates `file` with our pid (exclusively, so two processes cannot both win); a file whose pid is dead is stale and replaced. */
function tryLock(file: string, info: LockInfo): Taken {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
      return {
        release: () => {
          if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(file);
    if (held && isAlive(held.pid)) return { holder: held };
    fs.rmSync(file, { force: true });
  }
  throw new EmbeddedDbError('db_locked', `could not take ${file}`);
}

/** Takes DATA_DIR/embedded.lock for this process or refuses: one server per data folder. Returns the release function. */
export function acquireLock(dataDir: string, port: number): () => void {
  const file = path.join(dataDir, 'embedded.lock');
  const taken = tryLock(file, { pid: process.pid, port });
  if ('release' in taken) return taken.release;
  const { pid, port: theirs } = taken.holder;
  throw new EmbeddedDbError('db_locked', `the embedded database in ${dataDir} is already running (pid ${pid}, mongodb://127.0.0.1:${theirs}/): ` +
    `use that one (MONGODB_URI or FERRETDB_PORT=${theirs}) or stop it first; if pid ${pid} is not ours, delete ${file}`);
}

/**
 * Runs `work` holding `file`; while another live process holds it (a second `npm start`, CI beside a test), waits and
 * says so, then runs `work`, which finds that build's result in the cache. `waitedFor`: the pid it waited for.
 */
export async function withBuildLock<T>(file: string, progress: Progress, work: (waitedFor?: number) => Promise<T>, pollMs = 500): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let waitedFor: number | undefined;
  const began = Date.now();
  let said = began;
  for (;;) {
    const taken = tryLock(file, { pid: process.pid });
    if ('release' in taken) {
      try {
        return await work(waitedFor);
      } finally {
        taken.release();
      }
    }
    if (waitedFor !== taken.holder.pid) {
      progress.say(`another build (pid ${taken.holder.pid}) is running on ${path.dirname(file)}: waiting for it, then using its result`);
    } else if (Date.now() - said >= 15_000) {
      said = Date.now();
      progress.say(`  still waiting for the build of pid ${waitedFor} (${Math.round((said - began) / 1000)}s so far)`);
    }
    waitedFor = taken.holder.pid;
    await sleep(pollMs);
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined; // half-written or removed meanwhile: treated as stale
  }
}
