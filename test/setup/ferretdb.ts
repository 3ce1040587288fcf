import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDb, type RunningEmbeddedDb } from '../../scripts/db/embedded';
import { freePort } from '../../scripts/db/net';

let running: RunningEmbeddedDb | undefined;
let dataDir: string | undefined;
let uri: string | undefined;

/** TEST_MONGODB_URI when given (no server started); else one throw-away embedded FerretDB 2 for the whole run. */
export async function startTestFerretdb(): Promise<string> {
  const given = process.env.TEST_MONGODB_URI?.trim();
  if (given) return (uri = given);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-db-'));
  const sourcesDir = process.env.DOCUMENTDB_SOURCES_DIR?.trim() || undefined;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  running = await startEmbeddedDb({ port: await freePort(), dataDir, throwaway: true, sourcesDir, log, startTimeoutMs: 60_000 });
  return (uri = running.uri);
}

export async function stopTestFerretdb(): Promise<void> {
  await running?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}

/** The MongoDB the suite runs against: the embedded test server or TEST_MONGODB_URI. */
export function testFerretdbUri(): string {
  if (!uri) throw new Error('the test database is not running (root hook did not start it)');
  return uri;
}

/** A database name no other run shares, so a suite pointed at a real MongoDB clobbers nothing. */
export const TEST_RUN_ID = `${Date.now().toString(36)}_${process.pid}`;
