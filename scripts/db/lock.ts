import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedDbError } from './errors';

export interface LockInfo {
  pid: number;
  port: number;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes DATA_DIR/embedded.lock for this process (created exclusively, so two starts cannot both win); a lock whose
 * pid is dead is stale and replaced. Returns the release function.
 */
export function acquireLock(dataDir: string, port: number): () => void {
  const file = path.join(dataDir, 'embedded.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, port } satisfies LockInfo), { flag: 'wx' });
      return () => {
        const held = readLock(file);
        if (held?.pid === process.pid) fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readLock(file);
    if (held && isAlive(held.pid)) {
      throw new EmbeddedDbError('db_locked', `the embedded database in ${dataDir} is already running (pid ${held.pid}, mongodb://127.0.0.1:${held.port}/): ` +
        `use that one (MONGODB_URI or FERRETDB_PORT=${held.port}) or stop it first; if pid ${held.pid} is not ours, delete ${file}`);
    }
    fs.rmSync(file, { force: true });
  }
  throw new EmbeddedDbError('db_locked', `could not take ${file}`);
}

function readLock(file: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
  } catch {
    return undefined; // half-written or removed meanwhile: treated as stale
  }
}
