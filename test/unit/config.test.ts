import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'dotenv';
import { loadConfig } from '../../src/config';
import { envSchema } from '../../src/config/schema';
import { loadDepartments } from '../../src/config/departments';
import { problemsOf } from '../support/config';

describe('configuration', () => {
  it('has working defaults for a fresh clone', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3000);
    assert.equal(config.mongodbUri, undefined);
    assert.equal(config.x.apiBaseUrl, 'https://api.x.com');
    assert.equal(config.x.pollIntervalSeconds, 60);
    assert.deepEqual(config.x.accounts, []);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf(() => loadConfig({ PORT: '70000', X_POLL_INTERVAL_SECONDS: 'often', X_API_BASE_URL: 'ftp://x' }));
    assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['PORT', 'X_API_BASE_URL', 'X_POLL_INTERVAL_SECONDS']);
  });

  it('reads one X account from the environment', () => {
    const config = loadConfig({ X_USER_ID: '42', X_APP_KEY: 'a', X_APP_SECRET: 'b', X_ACCESS_TOKEN: 'c', X_ACCESS_SECRET: 'd', X_ACCOUNT_ID: 'kestrel' });
    assert.deepEqual(config.x.accounts.map((a) => [a.id, a.userId]), [['kestrel', '42']]);
  });

  it('prices X per billed kind, with X\'s 2026 prices by default; the env account owns the app unless told otherwise', () => {
    const env = { X_USER_ID: '42', X_APP_KEY: 'a', X_APP_SECRET: 'b', X_ACCESS_TOKEN: 'c', X_ACCESS_SECRET: 'd' };
    const config = loadConfig({ ...env, X_PRICE_PER_POST_WITH_URL_USD: '0.25' });
    assert.deepEqual(config.x.prices, { post_read: 0.005, owned_post_read: 0.001, dm_event_read: 0.01, post_create: 0.015, post_with_url_create: 0.25, dm_create: 0.015 });
    assert.deepEqual([config.x.accounts[0]?.ownsApp, config.x.budgetWarnAt], [true, 0.8]);
    assert.equal(loadConfig({ ...env, X_OWNS_APP: 'false' }).x.accounts[0]?.ownsApp, false);
    const problems = problemsOf(() => loadConfig({ X_PRICE_PER_DM_CREATE_USD: '-1', X_BUDGET_WARN_AT: '1.5', X_OWNS_APP: 'yes' }));
    assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['X_BUDGET_WARN_AT', 'X_OWNS_APP', 'X_PRICE_PER_DM_CREATE_USD']);
  });

  it('refuses an X accounts file with a bad entry, naming the file and field', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-')), 'x.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'a', userId: 'not-digits', appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'u' }]));
    const problems = problemsOf(() => loadConfig({ X_ACCOUNTS_FILE: file }));
    assert.match(problems[0] ?? '', /^X_ACCOUNTS_FILE: .*\[0\.userId\]: X user ids are digits/);
  });

  it('replaces the default departments from a file, and refuses a reserved key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-'));
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify([{ key: 'legal', name: 'Legal', sla: { firstResponseMinutes: 240, resolutionMinutes: 4800 } }]));
    assert.deepEqual(loadDepartments(good).map((d) => d.key), ['legal']);
    assert.deepEqual(loadDepartments(undefined).map((d) => d.key), ['support', 'sales', 'product', 'hr', 'other']);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify([{ key: 'triage', name: 'T', sla: { firstResponseMinutes: 1, resolutionMinutes: 2 } }]));
    assert.match(problemsOf(() => loadDepartments(bad))[0] ?? '', /^DEPARTMENTS_FILE: .*reserved/);
  });
});

describe('.env.example', () => {
  it('reads reply URLs per webhook source, and names a bad pair or a missing secret', () => {
    const ok = loadConfig({ WEBHOOK_REPLY_URLS: 'shop=https://shop.example/hook?tenant=7&x=1, forum=http://10.0.0.5:8080/in', WEBHOOK_REPLY_SECRET: '0123456789abcdef' });
    assert.deepEqual(ok.webhookReplies, { urls: { shop: 'https://shop.example/hook?tenant=7&x=1', forum: 'http://10.0.0.5:8080/in' }, secret: '0123456789abcdef' });
    const problems = problemsOf(() => loadConfig({ WEBHOOK_REPLY_URLS: 'shop=ftp://shop.example/in,https://nosource.example,bad source=https://a.example' }));
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems[0]!, /^WEBHOOK_REPLY_URLS: "shop=ftp:\/\/shop.example\/in" is not source=url \(url: an http\(s\) URL\)/);
    assert.match(problems[1]!, /"https:\/\/nosource.example" is not source=url/);
    assert.match(problems[2]!, /"bad source=https:\/\/a.example" is not source=url \(source: a webhook source/);
    assert.match(problems[3]!, /^WEBHOOK_REPLY_SECRET: required to sign replies/);
    assert.match(problemsOf(() => loadConfig({ WEBHOOK_REPLY_SECRET: 'short' }))[0]!, /^WEBHOOK_REPLY_SECRET: at least 16 characters/);
  });

  it('lists every setting, and its values start the app', () => {
    const example = parse(fs.readFileSync(path.join(__dirname, '..', '..', '.env.example')));
    assert.deepEqual(Object.keys(example).sort(), Object.keys(envSchema.shape).sort());
    assert.equal(loadConfig(example).port, 3000);
  });
});
