import assert from 'node:assert/strict';
import request from 'supertest';
import { ingestMessage } from '../../src/ingest/pipeline';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { TrainingExampleModel } from '../../src/store/models/training-example';
import { saveActiveModel } from '../../src/store/repositories/classifier-models';
import { bearer, seedDepartments, testApp, testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';

describe('conversations API', () => {
  useTestDatabase();
  const app = testApp();
  const router = testRouter();
  let agent: string;
  let manager: string;
  const ids: Record<string, string> = {};

  beforeEach(async () => {
    await clearCollections();
    await seedDepartments();
    agent = await bearer('agent');
    manager = await bearer('manager');
    const texts = { support: 'my unit is broken', sales: 'what is the price', product: 'feature wish', hr: 'any job openings', triage: 'maybe later' };
    for (const [key, text] of Object.entries(texts)) {
      ids[key] = (await ingestMessage(inbound({ text, channel: key === 'sales' ? 'x' : 'webhook' }), { router })).conversationId;
    }
  });

  it('lists conversations newest first with filters and cursor pagination', async () => {
    const first = await request(app).get('/api/conversations?limit=2').set('Authorization', agent).expect(200);
    assert.equal(first.body.data.length, 2);
    assert.deepEqual(first.body.data.map((c: { id: string }) => c.id), [ids.triage, ids.hr]);
    const second = await request(app).get(`/api/conversations?limit=2&cursor=${first.body.nextCursor}`).set('Authorization', agent).expect(200);
    assert.deepEqual(second.body.data.map((c: { id: string }) => c.id), [ids.product, ids.sales]);
    const last = await request(app).get(`/api/conversations?limit=2&cursor=${second.body.nextCursor}`).set('Authorization', agent).expect(200);
    assert.deepEqual([last.body.data.length, last.body.nextCursor], [1, null]);

    const sales = await request(app).get('/api/conversations?channel=x').set('Authorization', agent).expect(200);
    assert.deepEqual(sales.body.data.map((c: { department: string }) => c.department), ['sales']);
    const support = await request(app).get('/api/conversations?department=support&status=open').set('Authorization', agent).expect(200);
    assert.equal(support.body.data.length, 1);
    const soon = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    const future = await request(app).get(`/api/conversations?since=${soon}`).set('Authorization', agent).expect(200);
    assert.equal(future.body.data.length, 0);
    const farFuture = await request(app).get('/api/conversations?since=2999-01-01T00:00:00Z').set('Authorization', agent).expect(400);
    assert.equal(farFuture.body.error.details[0].field, 'since');
  });

  it('rejects a bad filter with 400 naming it', async () => {
    const res = await request(app).get('/api/conversations?status=lost&limit=0').set('Authorization', agent).expect(400);
    const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field).sort();
    assert.deepEqual(fields, ['limit', 'status']);
  });

  it('refuses cursors it did not make (a date out of range, junk, an id that is not hex) and operators, naming the field', async () => {
    const cursor = (text: string) => Buffer.from(text).toString('base64url');
    const id = '0123456789abcdef01234567';
    for (const bad of [cursor(`-62135596800000.${id}`), cursor(`0.${id}`), cursor(`99999999999999999.${id}`), cursor(`${Date.now()}.zzzzzzzzzzzzzzzzzzzzzzzz`), cursor(`${Date.now()}.${id}.x`), 'not a cursor', 'x'.repeat(5000)]) {
      const res = await request(app).get(`/api/conversations?cursor=${encodeURIComponent(bad)}`).set('Authorization', agent).expect(400);
      assert.equal(res.body.error.details[0].field, 'cursor', bad);
    }
    const ok = await request(app).get(`/api/conversations?cursor=${cursor(`${Date.now()}.${id}`)}`).set('Authorization', agent).expect(200);
    assert.ok(Array.isArray(ok.body.data));
    await request(app).get('/api/conversations?status[$ne]=open').set('Authorization', agent).expect(400);
    await request(app).get('/api/conversations?department=a&department=b').set('Authorization', agent).expect(400);
    const patched = await request(app).patch(`/api/conversations/${ids.support}`).set('Authorization', agent).send({ status: { $ne: 'open' } }).expect(400);
    assert.equal(patched.body.error.details[0].field, 'status');
  });

  it('shows one conversation with its messages, and 404 for an unknown id', async () => {
    const res = await request(app).get(`/api/conversations/${ids.support}`).set('Authorization', agent).expect(200);
    assert.equal(res.body.data.messages[0].text, 'my unit is broken');
    assert.equal(res.body.data.routing.scores.support, 0.9);
    await request(app).get('/api/conversations/000000000000000000000000').set('Authorization', agent).expect(404);
    await request(app).get('/api/conversations/not-an-id').set('Authorization', agent).expect(404);
  });

  it('reassigns a conversation: routing event plus a training example from the first message', async () => {
    const res = await request(app)
      .patch(`/api/conversations/${ids.triage}`)
      .set('Authorization', agent)
      .send({ department: 'sales', reason: 'asks for a quote' })
      .expect(200);
    assert.equal(res.body.data.department, 'sales');
    assert.equal(res.body.data.routing.method, 'manual');
    const event = await RoutingEventModel.findOne({ conversationId: ids.triage, method: 'manual' }).lean();
    assert.deepEqual([event?.from, event?.to, event?.actor], ['triage', 'sales', 'token:test-agent']);
    const example = await TrainingExampleModel.findOne({ conversationId: ids.triage }).lean();
    assert.deepEqual([example?.text, example?.label, example?.source], ['maybe later', 'sales', 'correction']);
  });

  it('refuses an unknown department without changing anything', async () => {
    const res = await request(app).patch(`/api/conversations/${ids.support}`).set('Authorization', agent).send({ department: 'legal' }).expect(400);
    assert.match(res.body.error.message, /unknown department "legal"/);
    assert.equal(await TrainingExampleModel.countDocuments(), 0);
  });

  it('resolves and reopens by status', async () => {
    const resolved = await request(app).patch(`/api/conversations/${ids.hr}`).set('Authorization', agent).send({ status: 'resolved' }).expect(200);
    assert.equal(resolved.body.data.status, 'resolved');
    assert.ok(resolved.body.data.resolvedAt);
    const open = await request(app).patch(`/api/conversations/${ids.hr}`).set('Authorization', agent).send({ status: 'open' }).expect(200);
    assert.deepEqual([open.body.data.status, open.body.data.resolvedAt], ['open', null]);
  });

  it('gives managers routing statistics with the triage share', async () => {
    const res = await request(app).get('/api/stats/routing').set('Authorization', manager).expect(200);
    assert.equal(res.body.data.total, 5);
    assert.deepEqual(res.body.data.triage, { count: 1, share: 0.2 });
    assert.deepEqual(res.body.data.automatic, { decided: 4, right: 4, moved: 0, share: 1 });
    // a person moves one the model sent to support, and routes the triage one: only the first was routed wrong
    await request(app).patch(`/api/conversations/${ids.support}`).set('Authorization', agent).send({ department: 'sales' }).expect(200);
    await request(app).patch(`/api/conversations/${ids.triage}`).set('Authorization', agent).send({ department: 'hr' }).expect(200);
    const after = await request(app).get('/api/stats/routing').set('Authorization', manager).expect(200);
    assert.deepEqual(after.body.data.automatic, { decided: 4, right: 3, moved: 1, share: 0.75 });
    const support = res.body.data.byDepartment.find((d: { department: string }) => d.department === 'support');
    assert.deepEqual(support, { department: 'support', count: 1, share: 0.2 });
  });

  it('keeps statistics from agents (403) and everything from anonymous callers (401)', async () => {
    const res = await request(app).get('/api/stats/routing').set('Authorization', agent).expect(403);
    assert.match(res.body.error.message, /role manager/);
    await request(app).get('/api/conversations').expect(401);
    await request(app).get('/api/departments').expect(401);
  });

  it('shows managers the newest routing decisions and corrections with previews', async () => {
    await request(app).patch(`/api/conversations/${ids.triage}`).set('Authorization', agent).send({ department: 'sales' }).expect(200);
    const res = await request(app).get('/api/routing/events?limit=2').set('Authorization', manager).expect(200);
    assert.deepEqual(res.body.data.map((e: { method: string; from: string | null; to: string; preview: string }) => [e.method, e.from, e.to, e.preview]), [
      ['manual', 'triage', 'sales', 'maybe later'],
      ['triage', null, 'triage', 'maybe later'],
    ]);
    await request(app).get('/api/routing/events').set('Authorization', agent).expect(403);
  });

  it('lists classifier versions with their figures, for managers', async () => {
    await saveActiveModel({ labels: ['hr', 'sales'], trainedOn: 12, metrics: { trainSeconds: 0.4 }, data: '{"big":"model"}' });
    const res = await request(app).get('/api/classifier/models').set('Authorization', manager).expect(200);
    assert.deepEqual(res.body.data.map((m: { version: number; active: boolean; trainedOn: number }) => [m.version, m.active, m.trainedOn]), [[1, true, 12]]);
    assert.equal(res.body.data[0].metrics.trainSeconds, 0.4);
    assert.equal(res.body.data[0].data, undefined, 'the serialized model stays in the database');
    await request(app).get('/api/classifier/models').set('Authorization', agent).expect(403);
  });

  it('lists the departments', async () => {
    const res = await request(app).get('/api/departments').set('Authorization', agent).expect(200);
    assert.deepEqual(res.body.data.map((d: { key: string }) => d.key), ['hr', 'other', 'product', 'sales', 'support']);
  });
});
