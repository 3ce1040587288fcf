import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { replayRuns } from '../../src/config/startup';
import { configuredAccounts } from '../../src/runtime/connectors';
import { problemsOf } from '../support/config';

const accountsFile = (content: unknown): string => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-bsky-')), 'bluesky.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

describe('configuration: Bluesky accounts', () => {
  it('none by default; the service is bsky.social and polls run every minute', () => {
    const config = loadConfig({});
    assert.deepEqual(config.bluesky, { accounts: [], pollIntervalSeconds: 60 });
  });

  it('reads one account from the environment and more from BLUESKY_ACCOUNTS_FILE, each with its own service', () => {
    const file = accountsFile([{ id: 'hr-bsky', identifier: 'did:plc:abc123', appPassword: 'p2', service: 'https://pds.example.org' }]);
    const config = loadConfig({ BLUESKY_IDENTIFIER: 'kestrelhome.bsky.social', BLUESKY_APP_PASSWORD: 'p1', BLUESKY_ACCOUNTS_FILE: file, BLUESKY_POLL_INTERVAL_SECONDS: '30' });
    assert.deepEqual(config.bluesky.accounts, [
      { id: 'bluesky-default', identifier: 'kestrelhome.bsky.social', appPassword: 'p1', service: 'https://bsky.social' },
      { id: 'hr-bsky', identifier: 'did:plc:abc123', appPassword: 'p2', service: 'https://pds.example.org' },
    ]);
    assert.equal(config.bluesky.pollIntervalSeconds, 30);
    const polled = configuredAccounts(config).filter((a) => a.connector.kind === 'bluesky');
    assert.deepEqual(polled.map((a) => [a.account, a.intervalMs]), [['bluesky-default', 30_000], ['hr-bsky', 30_000]]);
    assert.notEqual(polled[0]?.fingerprint, polled[1]?.fingerprint);
  });

  it('names the bad field: a half-given account, a handle with @, a bad service URL, a file entry', () => {
    assert.deepEqual(problemsOf(() => loadConfig({ BLUESKY_IDENTIFIER: 'kestrelhome.bsky.social' })), ['BLUESKY_APP_PASSWORD: required when BLUESKY_IDENTIFIER is set']);
    assert.match(problemsOf(() => loadConfig({ BLUESKY_IDENTIFIER: '@kestrelhome.bsky.social', BLUESKY_APP_PASSWORD: 'p' }))[0] ?? '', /^BLUESKY_IDENTIFIER: a handle such as/);
    assert.match(problemsOf(() => loadConfig({ BLUESKY_SERVICE_URL: 'bsky.social' }))[0] ?? '', /^BLUESKY_SERVICE_URL: /);
    const file = accountsFile([{ id: 'a', identifier: 'kestrel.bsky.social', appPassword: '' }]);
    assert.match(problemsOf(() => loadConfig({ BLUESKY_ACCOUNTS_FILE: file }))[0] ?? '', /^BLUESKY_ACCOUNTS_FILE: .*\[0\.appPassword\]: required/);
    assert.match(problemsOf(() => loadConfig({ BLUESKY_ACCOUNTS_FILE: accountsFile('{ not json') }))[0] ?? '', /^BLUESKY_ACCOUNTS_FILE: cannot read/);
    const twice = accountsFile([{ id: 'a', identifier: 'a.bsky.social', appPassword: 'p' }, { id: 'a', identifier: 'b.bsky.social', appPassword: 'q' }]);
    assert.deepEqual(problemsOf(() => loadConfig({ BLUESKY_ACCOUNTS_FILE: twice })), ['BLUESKY_ACCOUNTS_FILE: the account id "a" is used twice']);
  });

  it('the demo replay stops running by itself once a Bluesky account is configured', () => {
    assert.equal(replayRuns(loadConfig({})), true);
    const config = loadConfig({ BLUESKY_IDENTIFIER: 'kestrelhome.bsky.social', BLUESKY_APP_PASSWORD: 'p' });
    assert.equal(replayRuns(config), false);
    assert.deepEqual(configuredAccounts(config).map((a) => a.connector.kind), ['bluesky']);
    assert.equal(replayRuns(loadConfig({ BLUESKY_IDENTIFIER: 'kestrelhome.bsky.social', BLUESKY_APP_PASSWORD: 'p', REPLAY: 'on' })), true);
  });
});
