/**
 * Seconds from each restart to the last queued item delivered: SIGTERM of the app under load, kill -9 of the app,
 * kill -9 of the embedded database (then started again on the same folder). Real app processes, fake Slack and
 * reply receiver (as in test/integration/restart.test.ts). Usage: npm run bench:restart [-- BATCH [LOCK_LIFETIME_MS]]
 */
import { RestartWorld, type Resumed } from '../../test/support/restarts';

const BATCH = Number(process.argv[2] ?? 24);
const LOCK_LIFETIME_MS = Number(process.argv[3] ?? 20_000);

async function main(): Promise<void> {
  const world = new RestartWorld(BATCH, LOCK_LIFETIME_MS);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const print = (what: string, r: Resumed) =>
    process.stdout.write(`${what.padEnd(28)} ${String(r.left).padStart(4)} items left: last delivered ${seconds(r.resumeMs)} after the restart (app start-up ${seconds(r.startMs)})\n`);
  process.stdout.write(`batch ${BATCH}, JOBS_LOCK_LIFETIME_MS ${LOCK_LIFETIME_MS}; Slack answers after 800 ms, the reply receiver after 500 ms\n`);
  try {
    await world.start();
    print('SIGTERM of the app', await world.sigterm());
    print('kill -9 of the app', await world.killApp());
    print('kill -9 of the database', await world.killDatabase());
  } finally {
    await world.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
