import assert from 'node:assert/strict';
import request from 'supertest';
import { MessageModel } from '../../src/store/models/message';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, testApp } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';

function message(overrides: Record<string, unknown> = {}) {
  return {
    source: 'shop-contact-form',
    externalId: 'form-1',
    threadKey: 'case-1',
    author: { handle: '@jo', name: 'Jo' },
    text: 'The thermostat is broken',
    createdAt: '2026-11-20T10:00:00Z',
    url: 'https://shop.example/contact/1',
    ...overrides,
  };
}

describe('POST /api/ingest (generic webhook)', () => {
  useTestDatabase();
  const app = testApp({ maxBytes: 4096, maxBatch: 3 });
  let auth: string;
  beforeEach(async () => {
    await clearCollections();
    auth = await bearer('ingest');
  });

  it('stores one message and routes its conversation', async () => {
    const res = await request(app).post('/api/ingest').set('Authorization', auth).send(message()).expect(200);
    assert.equal(res.body.stored, 1);
    assert.equal(res.body.results[0].department, 'support');
    const stored = await MessageModel.findOne({ channel: 'webhook', account: 'shop-contact-form', externalId: 'form-1' }).lean();
    assert.equal(stored?.text, 'The thermostat is broken');
  });

  it('takes a batch and threads by threadKey', async () => {
    const res = await request(app)
      .post('/api/ingest')
      .set('Authorization', auth)
      .send([message(), message({ externalId: 'form-2', text: 'any news?' })])
      .expect(200);
    assert.equal(res.body.stored, 2);
    assert.equal(res.body.results[0].conversationId, res.body.results[1].conversationId);
  });

  it('stores a duplicate delivery once', async () => {
    await request(app).post('/api/ingest').set('Authorization', auth).send(message()).expect(200);
    const again = await request(app).post('/api/ingest').set('Authorization', auth).send(message()).expect(200);
    assert.deepEqual([again.body.stored, again.body.duplicates], [0, 1]);
    assert.equal(await MessageModel.countDocuments(), 1);
  });

  it('rejects an invalid batch with 400 naming each bad field, and stores none of it', async () => {
    const res = await request(app)
      .post('/api/ingest')
      .set('Authorization', auth)
      .send([message(), message({ externalId: 'form-2', text: '' }), message({ externalId: 'form-3', createdAt: 'yesterday' })])
      .expect(400);
    assert.equal(res.body.error.code, 'validation_failed');
    const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field);
    assert.deepEqual(fields, ['[1].text', '[2].createdAt']);
    assert.match(res.body.error.message, /\[1\]\.text/);
    assert.equal(await MessageModel.countDocuments(), 0);
    assert.equal(await ConversationModel.countDocuments(), 0);
  });

  it('names a missing field and an unknown one', async () => {
    const { text: _text, ...withoutText } = message();
    const res = await request(app).post('/api/ingest').set('Authorization', auth).send({ ...withoutText, colour: 'red' }).expect(400);
    const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field);
    assert.ok(fields.includes('text'), JSON.stringify(fields));
    assert.match(res.body.error.message, /colour/);
  });

  it('answers 400 for malformed JSON and for a batch over the limit', async () => {
    const bad = await request(app).post('/api/ingest').set('Authorization', auth).set('Content-Type', 'application/json').send('{"source":').expect(400);
    assert.equal(bad.body.error.code, 'invalid_json');
    const many = [1, 2, 3, 4].map((i) => message({ externalId: `f-${i}` }));
    const big = await request(app).post('/api/ingest').set('Authorization', auth).send(many).expect(400);
    assert.match(big.body.error.message, /at most 3/);
  });

  it('answers 413 for a body over the configured size', async () => {
    const res = await request(app).post('/api/ingest').set('Authorization', auth).send(message({ text: 'x'.repeat(5000) })).expect(413);
    assert.equal(res.body.error.code, 'payload_too_large');
    assert.equal(await MessageModel.countDocuments(), 0);
  });

  it('answers 401 without a token or with a wrong one, 403 for a role that may not ingest', async () => {
    const none = await request(app).post('/api/ingest').send(message()).expect(401);
    assert.match(none.body.error.message, /missing Authorization/);
    const wrong = await request(app).post('/api/ingest').set('Authorization', 'Bearer sb_nope').send(message()).expect(401);
    assert.match(wrong.body.error.message, /not valid/);
    const agent = await request(app).post('/api/ingest').set('Authorization', await bearer('agent')).send(message()).expect(403);
    assert.match(agent.body.error.message, /role ingest; yours has role agent/);
    assert.equal(await MessageModel.countDocuments(), 0);
  });
});
