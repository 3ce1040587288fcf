import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { problemsOf } from '../support/config';

const problemsIn = (env: NodeJS.ProcessEnv): string[] => problemsOf(() => loadConfig(env));

const ACCOUNT = { X_USER_ID: '42', X_APP_KEY: 'a', X_APP_SECRET: 'app-secret', X_ACCESS_TOKEN: 'c', X_ACCESS_SECRET: 'd', X_ACCOUNT_ID: 'kestrel' };

describe('config: X Activity API push', () => {
  it('is off by default, and on it takes the accounts\' app secret as the consumer secret', () => {
    assert.equal(loadConfig(ACCOUNT).x.webhook, undefined);
    const config = loadConfig({ ...ACCOUNT, X_WEBHOOK_ENABLED: 'true', X_OAUTH2_USER_TOKEN: 'user-token', X_WEBHOOK_ID: '1146654567674912769' });
    assert.deepEqual(config.x.webhook, { path: '/webhooks/x', consumerSecret: 'app-secret', webhookId: '1146654567674912769' });
    assert.equal(config.x.accounts[0]?.oauth2UserToken, 'user-token');
  });

  it('names the bad field: no account, a path the app answers itself, a webhook id that is not one', () => {
    assert.match(problemsIn({ X_WEBHOOK_ENABLED: 'true' }).join('\n'), /^X_WEBHOOK_ENABLED: push needs at least one X account/m);
    assert.match(problemsIn({ ...ACCOUNT, X_WEBHOOK_ENABLED: 'true', X_WEBHOOK_PATH: '/api/x' }).join('\n'), /^X_WEBHOOK_PATH: \/api\/x is inside \/api/m);
    assert.match(problemsIn({ ...ACCOUNT, X_WEBHOOK_ENABLED: 'true', X_WEBHOOK_PATH: 'webhooks' }).join('\n'), /^X_WEBHOOK_PATH: a path such as/m);
    assert.match(problemsIn({ ...ACCOUNT, X_WEBHOOK_ENABLED: 'yes' }).join('\n'), /^X_WEBHOOK_ENABLED:/m);
    assert.match(problemsIn({ ...ACCOUNT, X_WEBHOOK_ID: 'hook-1' }).join('\n'), /^X_WEBHOOK_ID: the webhook id X gave/m);
  });

  it('asks for X_CONSUMER_SECRET when the accounts name different app secrets, and reads oauth2UserToken from the accounts file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xpush-'));
    const file = path.join(dir, 'accounts.json');
    const account = { userId: '43', appKey: 'k', accessToken: 't', accessSecret: 's' };
    fs.writeFileSync(file, JSON.stringify([{ ...account, id: 'one', appSecret: 's1', oauth2UserToken: 'tok-1' }, { ...account, id: 'two', appSecret: 's2' }]));
    try {
      assert.match(problemsIn({ X_ACCOUNTS_FILE: file, X_WEBHOOK_ENABLED: 'true' }).join('\n'), /^X_CONSUMER_SECRET: required when/m);
      const config = loadConfig({ X_ACCOUNTS_FILE: file, X_WEBHOOK_ENABLED: 'true', X_CONSUMER_SECRET: 'the-app' });
      assert.equal(config.x.webhook?.consumerSecret, 'the-app');
      assert.deepEqual(config.x.accounts.map((a) => a.oauth2UserToken), ['tok-1', undefined]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
