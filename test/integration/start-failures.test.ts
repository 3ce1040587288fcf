import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort, portAnswers } from '../../scripts/db/net';
import { runScript } from '../support/process';

/** Processes whose command line names `dir` (PostgreSQL's postmaster holds -D, FerretDB its -state-dir). */
function processesUsing(dir: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(dir)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

describe('a failed start', function () {
  this.timeout(120_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-start-'));
  fs.chmodSync(tmp, 0o755); // PostgreSQL runs as the postgres user when we are root
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function embeddedEnv(name: string) {
    const dataDir = path.join(tmp, name);
    return { dataDir, ferretdbPort: await freePort(), env: { FERRETDB_DATA_DIR: dataDir, LOG_LEVEL: 'info', REPLAY_INTERVAL_MS: '50' } };
  }

  it('names each setting that slipped through validation before, and starts no database', async () => {
    const { dataDir, ferretdbPort, env } = await embeddedEnv('config');
    const done = await runScript('src/main.ts', [], {
      ...env, FERRETDB_PORT: String(ferretdbPort), PORT: '', TRIAGE_THRESHOLD: '',
      SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_CHANNELS: 'sopport=C0123',
      FEEDBACK_DIGEST_TIMEZONE: 'Mars/Olympus', FEEDBACK_DIGEST_SCHEDULE: 'mondays at nine', REPLAY_FILE: path.join(tmp, 'missing.jsonl'),
    }).done;
    assert.equal(done.code, 1, done.stdout);
    for (const name of ['SLACK_CHANNELS: "sopport"', 'FEEDBACK_DIGEST_TIMEZONE: "Mars/Olympus"', 'FEEDBACK_DIGEST_SCHEDULE: "mondays at nine"', 'REPLAY_FILE: ']) {
      assert.ok(done.stderr.includes(name), `${name} in ${done.stderr}`);
    }
    assert.doesNotMatch(done.stderr, /PORT|TRIAGE_THRESHOLD/, 'empty values are the defaults');
    assert.equal(fs.existsSync(dataDir), false, 'no database was set up');
  });

  it('a busy PORT is named, before the database starts', async () => {
    const { dataDir, ferretdbPort, env } = await embeddedEnv('busy');
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as net.AddressInfo;
    try {
      const done = await runScript('src/main.ts', [], { ...env, FERRETDB_PORT: String(ferretdbPort), PORT: String(port) }).done;
      assert.equal(done.code, 1);
      assert.match(done.stderr, new RegExp(`port ${port} is in use \\(PORT\\)`));
      assert.doesNotMatch(done.stderr, /Cannot read properties/);
    } finally {
      squatter.close();
    }
    assert.equal(await portAnswers(ferretdbPort), false);
    assert.equal(fs.existsSync(dataDir), false, 'no database was set up');
  });

  it('a failure after the embedded database started stops PostgreSQL and FerretDB: no process, port or lock left', async () => {
    const { dataDir, ferretdbPort, env } = await embeddedEnv('late');
    const replay = path.join(tmp, 'bad.jsonl');
    fs.writeFileSync(replay, '{"source":"demo","externalId":"1","author":{"name":"A"},"text":"hello"}\n{"source":"demo"}\n');
    const done = await runScript('src/main.ts', [], { ...env, FERRETDB_PORT: String(ferretdbPort), PORT: String(await freePort()), REPLAY_FILE: replay }).done;
    assert.equal(done.code, 1, done.stderr);
    assert.match(done.stdout, /embedded database started/, `the failure came after the database ran: ${done.stdout}${done.stderr}`);
    assert.match(done.stderr, /bad\.jsonl:2/);
    assert.equal(await portAnswers(ferretdbPort), false, 'FerretDB still answers');
    assert.deepEqual(processesUsing(dataDir), []);
    assert.equal(fs.existsSync(path.join(dataDir, 'embedded.lock')), false);
  });
});
