import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { checkStartup } from '../../src/config/startup';
import { problemsOf } from '../support/config';

const good = {
  id: 'jobs',
  address: 'jobs@acme.test',
  imap: { host: 'imap.acme.test', port: 993, secure: true, user: 'jobs', pass: 'secret' },
  smtp: { host: 'smtp.acme.test', port: 465, secure: true, user: 'jobs', pass: 'secret' },
  department: 'hr',
};

describe('EMAIL_ACCOUNTS_FILE', () => {
  let dir: string;
  const write = (accounts: unknown): string => {
    const file = path.join(dir, 'email.json');
    fs.writeFileSync(file, JSON.stringify(accounts));
    return file;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-email-config-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads accounts with INBOX as the default mailbox', () => {
    const config = loadConfig({ EMAIL_ACCOUNTS_FILE: write([good]), EMAIL_POLL_INTERVAL_SECONDS: '30' });
    assert.deepEqual(config.email.accounts[0]?.mailboxes, ['INBOX']);
    assert.equal(config.email.pollIntervalSeconds, 30);
    assert.equal(checkStartup(config).some((d) => d.key === 'hr'), true);
  });

  it('stops the start naming the bad field of each account', () => {
    const problems = problemsOf(() =>
      loadConfig({ EMAIL_ACCOUNTS_FILE: write([{ ...good, imap: { ...good.imap, port: 'imaps' } }, { ...good, id: 'b', address: 'not-an-address' }, { ...good, id: 'c', smtp: { host: 'x', port: 25, secure: false, user: 'u' } }]) }),
    );
    assert.equal(problems.length, 3);
    assert.match(problems[0] ?? '', /^EMAIL_ACCOUNTS_FILE: .* \[0\.imap\.port\]/);
    assert.match(problems[1] ?? '', /\[1\.address\]: an e-mail address/);
    assert.match(problems[2] ?? '', /\[2\.smtp\.pass\]: smtp\.user and smtp\.pass go together/);
  });

  it('refuses an unreadable file, a repeated id and a department that does not exist', () => {
    assert.match(problemsOf(() => loadConfig({ EMAIL_ACCOUNTS_FILE: path.join(dir, 'missing.json') }))[0] ?? '', /^EMAIL_ACCOUNTS_FILE: cannot read/);
    assert.match(problemsOf(() => loadConfig({ EMAIL_ACCOUNTS_FILE: write([good, good]) }))[0] ?? '', /\[1\.id\]: "jobs" is used by another account/);
    const config = loadConfig({ EMAIL_ACCOUNTS_FILE: write([{ ...good, department: 'recruiting' }]) });
    assert.match(problemsOf(() => checkStartup(config))[0] ?? '', /\[0\.department\]: "recruiting" is not a department/);
  });
});
