import assert from 'node:assert/strict';
import request from 'supertest';
import { program } from '../../src/cli/program';
import { ingestMessage } from '../../src/ingest/pipeline';
import { LAST_USE_GRANULARITY_MS } from '../../src/api/auth';
import { ApiTokenModel } from '../../src/store/models/api-token';
import { createApiToken, parseExpiry, revokeApiToken } from '../../src/store/repositories/tokens';
import { bearer, seedDepartments, testApp, testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';
import { runScript, waitFor } from '../support/process';
import { testFerretdbUri } from '../setup/ferretdb';
import type { Command } from 'commander';

type Detail = { field: string; message: string };

describe('API tokens and the API\'s edges', () => {
  useTestDatabase();
  const app = testApp();

  beforeEach(async () => {
    await clearCollections();
    await seedDepartments();
  });

  it('401 and 403 carry details saying what is wrong with the token', async () => {
    const missing = await request(app).get('/api/conversations').expect(401);
    assert.deepEqual(missing.body.error.details, [{ field: 'Authorization', message: 'missing' }]);
    const unknown = await request(app).get('/api/conversations').set('Authorization', 'Bearer sb_nope').expect(401);
    assert.match((unknown.body.error.details as Detail[])[0]!.message, /unknown/);
    const forbidden = await request(app).get('/api/stats/routing').set('Authorization', await bearer('agent')).expect(403);
    assert.deepEqual((forbidden.body.error.details as Detail[]).map((d) => d.field), ['role']);
    assert.match((forbidden.body.error.details as Detail[])[0]!.message, /needs manager \(or one that includes it: manager, admin\); the token has agent/);
  });

  it('an expired or revoked token answers 401 saying so', async () => {
    const { token: old } = await createApiToken('agent', 'old', new Date(Date.now() + 60_000));
    await request(app).get('/api/conversations').set('Authorization', `Bearer ${old}`).expect(200);
    await ApiTokenModel.updateOne({ prefix: old.slice(0, 10) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await request(app).get('/api/conversations').set('Authorization', `Bearer ${old}`).expect(401);
    assert.match(expired.body.error.message, /expired at/);
    const { token, id } = await createApiToken('agent', 'leaver');
    assert.equal(typeof (await revokeApiToken(id)), 'object');
    const revoked = await request(app).get('/api/conversations').set('Authorization', `Bearer ${token}`).expect(401);
    assert.match((revoked.body.error.details as Detail[])[0]!.message, /was revoked at/);
  });

  it('an admin lists tokens (never their hashes) and revokes one by id or prefix; others may not', async () => {
    const admin = await bearer('admin');
    const { token, id } = await createApiToken('ingest', 'shop', parseExpiry('30d'));
    const list = await request(app).get('/api/tokens').set('Authorization', admin).expect(200);
    const shop = (list.body.data as Array<Record<string, unknown>>).find((t) => t.id === id);
    assert.equal(shop?.role, 'ingest');
    assert.ok(Math.abs(new Date(String(shop?.expiresAt)).getTime() - Date.now() - 30 * 86_400_000) < 60_000);
    assert.ok((list.body.data as Array<Record<string, unknown>>).every((t) => !('hash' in t)));
    await request(app).get('/api/tokens').set('Authorization', await bearer('manager')).expect(403);
    const revoked = await request(app).post(`/api/tokens/${token.slice(0, 10)}/revoke`).set('Authorization', admin).expect(200);
    assert.equal(revoked.body.data.id, id);
    await request(app).post('/api/ingest').set('Authorization', `Bearer ${token}`).send({}).expect(401);
    const none = await request(app).post('/api/tokens/sb_zzzzzzz/revoke').set('Authorization', admin).expect(404);
    assert.equal((none.body.error.details as Detail[])[0]!.field, 'path');
  });

  it('records a token\'s last use to the minute: the first use, and a use a minute after the one recorded, not every request', async () => {
    const { token, id } = await createApiToken('agent', 'busy');
    const lastUse = async () => (await ApiTokenModel.findById(id).lean())?.lastUsedAt?.getTime();
    const use = () => request(app).get('/api/conversations').set('Authorization', `Bearer ${token}`).expect(200);
    await use();
    await waitFor(async () => (await lastUse()) !== undefined, 5_000, 'the first use recorded');
    const listed = await request(app).get('/api/tokens').set('Authorization', await bearer('admin')).expect(200);
    assert.equal(new Date((listed.body.data as Array<{ id: string; lastUsedAt: string }>).find((t) => t.id === id)!.lastUsedAt).getTime(), await lastUse());
    const recent = new Date(Date.now() - LAST_USE_GRANULARITY_MS / 2);
    await ApiTokenModel.updateOne({ _id: id }, { $set: { lastUsedAt: recent } });
    for (let i = 0; i < 3; i++) await use();
    const old = new Date(Date.now() - 2 * LAST_USE_GRANULARITY_MS);
    // the write is not awaited by the request: give a stray one time to land before looking
    await new Promise((r) => setTimeout(r, 300));
    await ApiTokenModel.updateOne({ _id: id, lastUsedAt: recent }, { $set: { lastUsedAt: old } }).then((r) => assert.equal(r.modifiedCount, 1, 'a use within the minute rewrote the last use'));
    const before = Date.now();
    await use();
    await waitFor(async () => ((await lastUse()) ?? 0) >= before - 1000, 5_000, 'a use a minute later recorded');
  });

  it('reads --expires as a duration or a future date, and nothing else', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    assert.equal(parseExpiry('30d', now)?.toISOString(), '2026-12-31T00:00:00.000Z');
    assert.equal(parseExpiry('12h', now)?.toISOString(), '2026-12-01T12:00:00.000Z');
    assert.equal(parseExpiry('2027-06-30', now)?.toISOString(), '2027-06-30T00:00:00.000Z');
    for (const bad of ['soon', '30', '2025-01-01', '-3d']) assert.equal(parseExpiry(bad, now), undefined, bad);
  });

  it('GET / leads to the dashboard; an unknown route is a 404 with details', async () => {
    const root = await request(app).get('/').expect(302);
    assert.equal(root.headers.location, '/dashboard');
    const lost = await request(app).get('/nowhere').expect(404);
    assert.deepEqual(lost.body.error.details, [{ field: 'path', message: 'GET /nowhere: no route for GET /nowhere' }]);
  });

  it('since takes a plain ISO date (UTC midnight) as well as a date-time', async () => {
    const agent = await bearer('agent');
    await ingestMessage(inbound({ text: 'my unit is broken', createdAt: new Date('2026-11-30T23:00:00Z') }), { router: testRouter() });
    await ingestMessage(inbound({ text: 'any job openings', createdAt: new Date('2026-12-01T08:00:00Z') }), { router: testRouter() });
    const res = await request(app).get('/api/conversations?since=2026-12-01').set('Authorization', agent).expect(200);
    assert.equal(res.body.data.length, 1);
    for (const bad of ['2026-13-01', '2026-12-01T10:00', 'yesterday']) {
      const refused = await request(app).get(`/api/conversations?since=${bad}`).set('Authorization', agent).expect(400);
      assert.deepEqual((refused.body.error.details as Detail[]).map((d) => d.field), ['since'], bad);
    }
  });

  it('the CLI creates a token with an expiry, lists it and revokes it by its prefix', async function () {
    this.timeout(120_000); // four CLI processes, each connecting to the store
    const env = { MONGODB_URI: testFerretdbUri(), DB_NAME: `cli_tokens_${Date.now()}` };
    const created = await runScript('src/cli/main.ts', ['token', 'create', '--role', 'agent', '--name', 'anna', '--expires', '30d'], env).done;
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /role agent, valid until 20\d\d-/);
    const prefix = created.stdout.trim().slice(0, 10);
    const revoked = await runScript('src/cli/main.ts', ['token', 'revoke', prefix], env).done;
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stderr, new RegExp(`token ${prefix}… \\(agent, anna\\) is revoked`));
    const list = await runScript('src/cli/main.ts', ['token', 'list'], env).done;
    const row = list.stdout.split('\n').find((line) => line.includes(prefix)) ?? '';
    assert.match(row, /agent\s+revoked\s+.*anna$/);
    const again = await runScript('src/cli/main.ts', ['token', 'revoke', 'sb_nothing'], env).done;
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no token with id or prefix sb_nothing/);
  });

  it('every CLI command has --help; the CLI answers --help with exit 0', async () => {
    const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
    const commands = all(program());
    assert.deepEqual(commands.map((c) => c.name()).sort(), ['add', 'block', 'create', 'customer', 'erase', 'history', 'import', 'list', 'list', 'list', 'npm run cli --', 'person', 'remove', 'retention', 'revoke', 'run', 'sender', 'set', 'token', 'unblock']);
    for (const c of commands) assert.ok(c.description().length > 10 && c.helpInformation().startsWith('Usage: '), c.name());
    const help = await runScript('src/cli/main.ts', ['token', 'revoke', '--help'], {}).done;
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: npm run cli -- token revoke \[options\] <id-or-prefix>/);
  });
});
