import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { replayRuns } from '../../src/config/startup';
import { configuredAccounts } from '../../src/runtime/connectors';
import { problemsOf } from '../support/config';

const problemsIn = (env: NodeJS.ProcessEnv): string[] => problemsOf(() => loadConfig(env));

function accountsFile(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mastodon-accounts-')), 'accounts.json');
  fs.writeFileSync(file, content);
  return file;
}

describe('configuration: Mastodon accounts', () => {
  it('reads one account from the environment and one per entry of MASTODON_ACCOUNTS_FILE, each polled like X', () => {
    const file = accountsFile(JSON.stringify([{ id: 'kestrel-fosstodon', url: 'https://fosstodon.example/', accessToken: 'tok-2' }]));
    const config = loadConfig({ MASTODON_URL: 'https://social.example', MASTODON_ACCESS_TOKEN: 'tok-1', MASTODON_ACCOUNTS_FILE: file, MASTODON_POLL_INTERVAL_SECONDS: '30' });
    assert.deepEqual(config.mastodon.accounts, [
      { id: 'mastodon-default', url: 'https://social.example', accessToken: 'tok-1' },
      { id: 'kestrel-fosstodon', url: 'https://fosstodon.example', accessToken: 'tok-2' },
    ]);
    const polled = configuredAccounts(config);
    assert.deepEqual(polled.map((a) => [a.connector.kind, a.account, a.intervalMs]), [['mastodon', 'mastodon-default', 30_000], ['mastodon', 'kestrel-fosstodon', 30_000]]);
    assert.equal(replayRuns(config), false, 'a configured Mastodon account replaces the demo replay');
    assert.notEqual(polled[0]?.fingerprint, polled[1]?.fingerprint);
  });

  it('names the bad field: a missing token or URL, a bad URL, a bad file entry, a duplicate id', () => {
    assert.deepEqual(problemsIn({ MASTODON_URL: 'https://social.example' }), ['MASTODON_ACCESS_TOKEN: required when MASTODON_URL is set']);
    assert.deepEqual(problemsIn({ MASTODON_ACCESS_TOKEN: 't' }), ['MASTODON_URL: required when MASTODON_ACCESS_TOKEN is set']);
    assert.match(problemsIn({ MASTODON_URL: 'social.example', MASTODON_ACCESS_TOKEN: 't' })[0] ?? '', /^MASTODON_URL: the instance as an http\(s\) URL/);
    assert.deepEqual(problemsIn({ MASTODON_ACCOUNT_ID: 'x' }), ['MASTODON_URL: required when MASTODON_ACCOUNT_ID is set']);
    const bad = accountsFile(JSON.stringify([{ id: 'a', url: 'https://a.example', accessToken: 't' }, { id: 'b', url: 'ftp://b.example' }]));
    const problems = problemsIn({ MASTODON_ACCOUNTS_FILE: bad });
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0] ?? '', /^MASTODON_ACCOUNTS_FILE: .*\[1\.url\]: the instance as an http\(s\) URL/);
    assert.match(problems[1] ?? '', /^MASTODON_ACCOUNTS_FILE: .*\[1\.accessToken\]/);
    const twice = accountsFile(JSON.stringify([{ id: 'a', url: 'https://a.example', accessToken: 't' }, { id: 'a', url: 'https://b.example', accessToken: 'u' }]));
    assert.match(problemsIn({ MASTODON_ACCOUNTS_FILE: twice })[0] ?? '', /account id "a" is given twice/);
    assert.match(problemsIn({ MASTODON_ACCOUNTS_FILE: '/nonexistent/accounts.json' })[0] ?? '', /^MASTODON_ACCOUNTS_FILE: cannot read/);
  });
});
