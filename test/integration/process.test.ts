import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/db/net';
import { startFakeSlackApi } from '../fakes/slack-api';
import { testFerretdbUri } from '../setup/ferretdb';
import { runScript, waitFor } from '../support/process';

describe('the switchboard process', function () {
  this.timeout(90_000);

  it('stops at start with a message naming each bad variable', async () => {
    const run = runScript('src/main.ts', [], { PORT: 'eighty', TRIAGE_THRESHOLD: '1.5', MONGODB_URI: 'localhost:27017', X_APP_KEY: 'k' });
    const done = await run.done;
    assert.equal(done.code, 1);
    assert.match(done.stderr, /PORT: .*"eighty"/);
    assert.match(done.stderr, /TRIAGE_THRESHOLD: /);
    assert.match(done.stderr, /MONGODB_URI: must start with mongodb:\/\//);
  });

  it('imports a labelled history (new departments too) and names the line of a bad file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-history-'));
    const good = path.join(dir, 'history.csv');
    fs.writeFileSync(good, 'text,label,agent\n"Bitte Rechnung mit USt-ID, danke",legal,anna\n"where do I send my CV?\nthanks",hr,ben\n');
    const env = { MONGODB_URI: testFerretdbUri(), DB_NAME: `history_${Date.now()}` };
    const ok = await runScript('src/cli/main.ts', ['history', 'import', good], env).done;
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /imported 2 labelled messages \(hr, legal\)/);
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"text":"fine","label":"hr"}\n{"text":"no label"}\n');
    const refused = await runScript('src/cli/main.ts', ['history', 'import', bad], env).done;
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /bad\.jsonl.*2/);
  });

  it('names the missing parts of a half-configured X account', async () => {
    const run = runScript('src/main.ts', [], { X_USER_ID: '123', X_APP_KEY: 'k' });
    const done = await run.done;
    assert.equal(done.code, 1);
    for (const name of ['X_APP_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET']) assert.match(done.stderr, new RegExp(`${name}: required`));
  });

  it('starts on a database, listens on HOST only, routes the demo replay into Slack channels through its jobs, and exits 0 on SIGTERM', async () => {
    const dbName = `process_${Date.now()}`;
    const slack = await startFakeSlackApi();
    // picked after the fake Slack listens: a port freed by freePort could otherwise be the one it is given on 127.0.0.1
    const port = await freePort();
    const channels = { support: 'C0SUPPORT', sales: 'C0SALES', product: 'C0PRODUCT', hr: 'C0HR', other: 'C0OTHER' };
    for (const [name, id] of Object.entries(channels)) slack.addChannel(id, name);
    slack.addChannel('C0TRIAGE', 'triage');
    after(() => slack.close());
    const env = {
      MONGODB_URI: testFerretdbUri(), DB_NAME: dbName, PORT: String(port), HOST: '127.0.0.2', REPLAY_INTERVAL_MS: '50', REPLAY_HISTORY_DAYS: '0', JOBS_PROCESS_EVERY_MS: '200', LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: slack.identity.token, SLACK_SIGNING_SECRET: 'secret', SLACK_API_URL: slack.apiUrl, SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
      SLACK_CHANNELS: Object.entries(channels).map(([k, v]) => `${k}=${v}`).join(','),
    };
    const token = await runScript('src/cli/main.ts', ['token', 'create', '--role', 'manager'], env).done;
    assert.equal(token.code, 0, token.stderr);
    const auth = { authorization: `Bearer ${token.stdout.trim()}` };

    const app = runScript('src/main.ts', [], env);
    try {
      // another loopback address than the default: the server answers there and nowhere else
      const base = `http://127.0.0.2:${port}`;
      await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 60_000, '/readyz');
      const elsewhere = await fetch(`http://127.0.0.1:${port}/healthz`).then(() => 'answered', (err: Error & { cause?: { code?: string } }) => err.cause?.code);
      assert.equal(elsewhere, 'ECONNREFUSED');
      await waitFor(
        async () => {
          const res = await fetch(`${base}/api/stats/routing`, { headers: auth });
          return ((await res.json()) as { data: { total: number } }).data.total >= 3;
        },
        30_000,
        'three routed demo conversations',
      );
      const list = (await (await fetch(`${base}/api/conversations?limit=3`, { headers: auth })).json()) as { data: Array<{ channel: string; department: string }> };
      assert.ok(list.data.every((c) => c.channel === 'replay' && c.department.length > 0));
      await waitFor(() => Promise.resolve(slack.callsTo('chat.postMessage').filter((c) => c.error === undefined).length >= 3), 30_000, 'three cards in Slack');
      const cardChannels = slack.callsTo('chat.postMessage').map((c) => String(c.body.channel));
      assert.ok(cardChannels.every((c) => [...Object.values(channels), 'C0TRIAGE'].includes(c)), cardChannels.join());
    } finally {
      app.child.kill('SIGTERM');
    }
    const done = await app.done;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /shutting down/);
    assert.match(done.stdout, /"host":"127\.0\.0\.2"/);
  });
});
