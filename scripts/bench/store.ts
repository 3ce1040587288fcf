import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { startBenchDb } from './bench-db';

/** Runs a benchmark on a throw-away embedded database (database 'bench'), removed afterwards. */
export async function onBenchStore(work: () => Promise<void>): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = await startBenchDb(dataDir);
  try {
    await connectStore(db.uri, 'bench');
    await work();
  } finally {
    await disconnectStore();
    await db.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
