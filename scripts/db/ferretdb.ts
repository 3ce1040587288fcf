import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_DIR = path.join(ROOT, 'scripts', 'ferretdb');
export const FERRETDB_BINARY = path.join(ROOT, '.cache', 'ferretdb', 'ferretdb');

// FerretDB's telemetry is off in the embedded package; DO_NOT_TRACK keeps Go tooling quiet too.
const QUIET_ENV = { ...process.env, DO_NOT_TRACK: '1', FERRETDB_TELEMETRY: 'disable' };

function newestSourceMtime(): number {
  return Math.max(...['main.go', 'go.mod', 'go.sum'].map((f) => fs.statSync(path.join(SOURCE_DIR, f)).mtimeMs));
}

/** Builds our FerretDB program with Go on first use (and again when its source changes). */
export async function buildFerretdb(log: (line: string) => void = () => {}): Promise<string> {
  const built = fs.existsSync(FERRETDB_BINARY) ? fs.statSync(FERRETDB_BINARY).mtimeMs : 0;
  if (built > newestSourceMtime()) return FERRETDB_BINARY;
  log('building FerretDB v1.24.2 with Go (first run takes a minute or two) ...');
  fs.mkdirSync(path.dirname(FERRETDB_BINARY), { recursive: true });
  try {
    await promisify(execFile)('go', ['build', '-o', FERRETDB_BINARY, '.'], {
      cwd: SOURCE_DIR,
      env: QUIET_ENV,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error('FerretDB needs Go to build: install Go 1.24+ or set MONGODB_URI');
    throw new Error(`go build of FerretDB failed: ${e.stderr ?? e.message}`);
  }
  log(`FerretDB built at ${path.relative(ROOT, FERRETDB_BINARY)}`);
  return FERRETDB_BINARY;
}

/** A free TCP port on loopback, picked by the kernel. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function portAnswers(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface RunningFerretdb {
  uri: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  port: number;
  dataDir: string;
  logFile?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts FerretDB with the SQLite backend on 127.0.0.1 and resolves once it accepts connections. */
export async function startFerretdb(options: StartOptions): Promise<RunningFerretdb> {
  const binary = await buildFerretdb(options.log);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const logFile = options.logFile ?? path.join(options.dataDir, 'ferretdb.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(binary, ['-listen', `127.0.0.1:${options.port}`, '-data', options.dataDir], {
    env: QUIET_ENV,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = waitForExit(child);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n');
      throw new Error(`FerretDB exited with code ${child.exitCode} at start:\n${tail}`);
    }
    if (await portAnswers(options.port)) {
      return { uri: `mongodb://127.0.0.1:${options.port}/`, port: options.port, stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`FerretDB did not answer on 127.0.0.1:${options.port} within ${options.startTimeoutMs ?? 30_000} ms (log: ${logFile})`);
}
