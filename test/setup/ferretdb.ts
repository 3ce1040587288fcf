import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startFerretdb, type RunningFerretdb } from '../../scripts/db/ferretdb';

let running: RunningFerretdb | undefined;
let dataDir: string | undefined;

/** One FerretDB for the whole run, on a free port with a throw-away data folder. */
export async function startTestFerretdb(): Promise<string> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-db-'));
  running = await startFerretdb({ port: await freePort(), dataDir, startTimeoutMs: 60_000 });
  return running.uri;
}

export async function stopTestFerretdb(): Promise<void> {
  await running?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

export function testFerretdbUri(): string {
  if (!running) throw new Error('the test FerretDB is not running (root hook did not start it)');
  return running.uri;
}
