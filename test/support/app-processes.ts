import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { freePort } from '../../scripts/db/net';
import type { FakeSlackApi } from '../fakes/slack-api';
import { runScript, waitFor } from './process';

export const SLACK_SIGNING_SECRET = 'app-process-signing-secret';
export const ONE_CHANNEL = 'C0SUPPORT';

/** The app's settings for a test: every department (and triage) posts to one fake Slack channel; no replay. */
export function appEnv(uri: string, dbName: string, slack: FakeSlackApi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MONGODB_URI: uri, DB_NAME: dbName, REPLAY: 'off', LOG_LEVEL: 'warn', JOBS_PROCESS_EVERY_MS: '200',
    SLACK_BOT_TOKEN: slack.identity.token, SLACK_SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
    SLACK_CHANNELS: ['support', 'sales', 'product', 'hr', 'other'].map((d) => `${d}=${ONE_CHANNEL}`).join(','), SLACK_TRIAGE_CHANNEL: ONE_CHANNEL,
    ...extra,
  };
}

export interface AppProcess {
  base: string;
  run: ReturnType<typeof runScript>;
  /** SIGTERM, and how it ended (code 0 on a clean stop) */
  stop(): Promise<number | null>;
  output(): string;
}

/** `npm start` as a child process on a free port; resolves once /readyz answers 200 (minutes on a loaded 2-core machine). */
export async function startApp(env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const run = runScript('src/main.ts', [], { ...env, PORT: String(port) });
  const exited = run.done.then((d) => assert.fail(`the app exited (${String(d.code)}) before it was ready: ${d.stderr}`));
  const ready = waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 180_000, `/readyz on ${port}`);
  await Promise.race([ready, exited]).catch((err: Error) => {
    run.child.kill('SIGKILL');
    throw new Error(`${err.message}\n${run.output().slice(-2000)}`);
  });
  return {
    base,
    run,
    stop: async () => {
      // to the app's own node process: tsx relays a signal only if its child confirms a listener within ~30 ms, which a loaded machine misses
      const children = childPids(run.child.pid!);
      for (const pid of children.length > 0 ? children : [run.child.pid!]) process.kill(pid, 'SIGTERM');
      return (await run.done).code;
    },
    output: run.output,
  };
}

/** kill -9 of the app: its own node process (tsx runs it in a child) and tsx. */
export function killApp(app: AppProcess): Promise<unknown> {
  const pid = app.run.child.pid!;
  for (const child of childPids(pid)) process.kill(child, 'SIGKILL');
  process.kill(pid, 'SIGKILL');
  return app.run.done;
}

/** The processes `pid` started (none: pgrep exits 1). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** How many of our Slack posts carry each metadata key (`conversation:<id>`, `message:<id>`). */
export function postsByKey(slack: FakeSlackApi): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of slack.callsTo('chat.postMessage')) {
    if (call.error !== undefined) continue;
    const raw = call.body.metadata;
    const metadata = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { event_payload?: { key?: string } } | undefined;
    const key = metadata?.event_payload?.key;
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
