import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { EmbeddedDbError, type EmbeddedDbErrorCode } from './errors';

export type Log = (line: string) => void;

const seconds = (since: number) => `${Math.round((Date.now() - since) / 1000)}s`;

/** Numbered steps with the time elapsed, and a line every 15 s while a long step runs (no minute of silence). */
export class Progress {
  private readonly started = Date.now();
  constructor(private readonly log: Log) {}

  say(text: string): void {
    this.log(`[db ${seconds(this.started)}] ${text}`);
  }

  async step<T>(title: string, work: () => Promise<T>): Promise<T> {
    const began = Date.now();
    this.say(`${title} ...`);
    const ticker = setInterval(() => this.say(`  ${title}: still working (${seconds(began)} so far)`), 15_000);
    try {
      const result = await work();
      this.say(`${title}: done in ${seconds(began)}`);
      return result;
    } finally {
      clearInterval(ticker);
    }
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** the command's output goes here; its tail is shown when it fails */
  logFile: string;
  /** run as this user (PostgreSQL refuses root) */
  user?: { uid: number; gid: number };
  failCode?: EmbeddedDbErrorCode;
}

/** Runs a command with its output appended to a log file; rejects with the log's tail on failure. */
export function run(command: string, args: string[], options: RunOptions): Promise<void> {
  const out = fs.openSync(options.logFile, 'a');
  fs.writeSync(out, `\n$ ${command} ${args.join(' ')}\n`);
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', out, out], ...options.user });
    const fail = (why: string) => {
      const tail = fs.readFileSync(options.logFile, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
      reject(new EmbeddedDbError(options.failCode ?? 'db_build_failed', `${command} ${args.join(' ')} ${why}\n${tail}\n(full log: ${options.logFile})`));
    };
    child.once('error', (err) => fail(`could not run: ${err.message}`));
    child.once('exit', (code, signal) => (code === 0 ? resolve() : fail(`failed (${signal ?? `exit ${code}`})`)));
  }).finally(() => fs.closeSync(out));
}
