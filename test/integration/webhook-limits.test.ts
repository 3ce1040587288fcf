import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import type { Classification, DepartmentClassifier } from '../../src/domain/classification';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { bearer, testApp, testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';

function message(overrides: Record<string, unknown> = {}) {
  return {
    source: 'shop',
    externalId: 'm-1',
    threadKey: 'case-1',
    author: { name: 'Jo' },
    text: 'The thermostat is broken',
    createdAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

/** `[[[...]]]` nested `levels` deep, built without recursion */
function nested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** The same as JSON text, written by hand: JSON.stringify itself overflows on such depths */
const nestedJson = (levels: number): string => `${'['.repeat(levels)}"bottom"${']'.repeat(levels)}`;

/** A message as JSON text with a `raw` given as JSON text */
const withRaw = (m: Record<string, unknown>, raw: string): string => `${JSON.stringify(m).slice(0, -1)},"raw":${raw}}`;

const fieldsOf = (body: { error: { details: Array<{ field: string }> } }) => body.error.details.map((d) => d.field);

/** A classifier that fails for one text: a failure after validation, part-way through a batch. */
class FailingOn implements DepartmentClassifier {
  constructor(private readonly word: string) {}
  classify(text: string): Classification {
    if (text.includes(this.word)) throw new Error('classifier crashed');
    return { label: 'support', confidence: 0.9, scores: { support: 0.9, other: 0.1 }, lang: 'en', terms: [] };
  }
}

describe('POST /api/ingest limits: raw, dates, encodings, all or nothing', () => {
  useTestDatabase();
  const app = testApp({ maxBytes: 256 * 1024, maxBatch: 10 });
  let auth: string;
  beforeEach(async () => {
    await clearCollections();
    auth = await bearer('ingest');
  });
  const post = (body: unknown) => request(app).post('/api/ingest').set('Authorization', auth).send(body as object);

  it('refuses a raw nested 5,000 levels deep with 400 naming [2].raw, stores nothing of the batch, and takes the fixed batch', async () => {
    const batch = `[${JSON.stringify(message())},${JSON.stringify(message({ externalId: 'm-2' }))},${withRaw(message({ externalId: 'm-3' }), nestedJson(5000))}]`;
    const res = await request(app).post('/api/ingest').set('Authorization', auth).set('Content-Type', 'application/json').send(batch).expect(400);
    assert.deepEqual(fieldsOf(res.body), ['[2].raw']);
    assert.match(res.body.error.message, /nested more than 32 levels/);
    assert.equal(await MessageModel.countDocuments(), 0);
    const fixed = await post([message(), message({ externalId: 'm-2' }), message({ externalId: 'm-3', raw: nested(20) })]).expect(200);
    assert.equal(fixed.body.stored, 3);
    const kept = await MessageModel.findOne({ externalId: 'm-3' }).lean();
    assert.equal(kept?.rawJson, JSON.stringify(nested(20)));
  });

  it('refuses a raw larger than the limit, naming its field and size', async () => {
    const res = await post(message({ raw: { blob: 'x'.repeat(70 * 1024) } })).expect(400);
    assert.deepEqual(fieldsOf(res.body), ['raw']);
    assert.match(res.body.error.message, /at most 65536 are kept/);
    assert.equal(await MessageModel.countDocuments(), 0);
  });

  it('takes dates from 2006 to a few minutes ahead (clock skew) and refuses Go zero time and the future, naming createdAt', async () => {
    const zero = await post([message(), message({ externalId: 'm-2', createdAt: '0001-01-01T00:00:00Z' })]).expect(400);
    assert.deepEqual(fieldsOf(zero.body), ['[1].createdAt']);
    assert.match(zero.body.error.message, /must not be before 2006-01-01/);
    for (const ahead of [2 * 86_400_000, 3_600_000, 6 * 60_000]) {
      const future = await post(message({ createdAt: new Date(Date.now() + ahead).toISOString() })).expect(400);
      assert.deepEqual(fieldsOf(future.body), ['createdAt']);
      assert.match(future.body.error.message, /our clock \+ 5 minutes/);
    }
    assert.equal(await MessageModel.countDocuments(), 0);
    const soon = new Date(Date.now() + 2 * 60_000).toISOString();
    await post([message({ createdAt: '2006-01-01T00:00:00Z' }), message({ externalId: 'm-2', createdAt: soon })]).expect(200);
    assert.equal(await MessageModel.countDocuments(), 2);
  });

  it('reads gzip, deflate and br bodies; a corrupt one is 400, an unknown encoding 415', async () => {
    const body = Buffer.from(JSON.stringify(message()));
    const send = (encoding: string, bytes: Buffer) =>
      request(app).post('/api/ingest').set('Authorization', auth).set('Content-Type', 'application/json').set('Content-Encoding', encoding)
        .serialize((b: unknown) => b as string) // as they are: superagent would write a Buffer as JSON
        .send(bytes);
    const gz = await send('gzip', zlib.gzipSync(body)).expect(200);
    assert.equal(gz.body.stored, 1);
    const corrupt: Array<[string, Buffer]> = [
      ['gzip', Buffer.from('not gzip at all')],
      ['gzip', zlib.gzipSync(body).subarray(0, 20)],
      ['deflate', Buffer.from('not deflate')],
      ['br', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00])],
    ];
    for (const [encoding, bytes] of corrupt) {
      const res = await send(encoding, bytes).expect(400);
      assert.equal(res.body.error.code, 'invalid_body', `${encoding}: ${JSON.stringify(res.body)}`);
    }
    const unknown = await send('x-snappy', body).expect(415);
    assert.equal(unknown.body.error.code, 'unsupported_encoding');
    assert.match(unknown.body.error.message, /x-snappy/);
    assert.equal(await MessageModel.countDocuments(), 1);
  });

  it('undoes a batch that fails part-way after validation, keeping what was there before, and runs no hook', async () => {
    const hooks: string[] = [];
    const failing = createApp({
      logger: createLogger('silent'),
      pipeline: {
        router: new Router(new FailingOn('explode'), { threshold: 0.5, departments: ['support', 'other'] }),
        onNewConversation: (c) => Promise.resolve(void hooks.push(`new:${String(c.conversationId)}`)),
        onFollowUp: (id) => Promise.resolve(void hooks.push(`follow-up:${id}`)),
      },
      ingest: { maxBytes: 64 * 1024, maxBatch: 10 },
    });
    const send = (body: unknown) => request(failing).post('/api/ingest').set('Authorization', auth).send(body as object);
    await send(message({ externalId: 'old-1', threadKey: 'old', createdAt: '2026-11-20T09:00:00Z' })).expect(200);
    const before = await ConversationModel.findOne({ threadKey: 'old' }).lean();
    hooks.length = 0;

    const batch = [
      message({ externalId: 'old-1', threadKey: 'old', createdAt: '2026-11-20T09:00:00Z' }), // a duplicate: stays
      message({ externalId: 'old-2', threadKey: 'old', createdAt: '2026-11-21T09:00:00Z' }), // joins the old conversation
      message({ externalId: 'new-1', threadKey: 'new' }), // opens a conversation
      message({ externalId: 'new-2', threadKey: 'new', text: 'and another thing' }),
      message({ externalId: 'bad', threadKey: 'bad', text: 'this will explode' }),
    ];
    const res = await send(batch).expect(500);
    assert.equal(res.body.error.code, 'internal');
    assert.deepEqual((await MessageModel.find().lean()).map((m) => m.externalId), ['old-1']);
    assert.deepEqual((await ConversationModel.find().lean()).map((c) => c.threadKey), ['old']);
    const after = await ConversationModel.findOne({ threadKey: 'old' }).lean();
    assert.equal(after?.messageCount, before?.messageCount);
    assert.equal(after?.lastMessageAt.toISOString(), before?.lastMessageAt.toISOString());
    assert.equal(after?.lastInbound?.externalId, 'old-1');
    assert.equal(await RoutingEventModel.countDocuments(), 1);
    assert.deepEqual(hooks, []);

    const retry = await send(batch.slice(0, 4)).expect(200);
    assert.deepEqual([retry.body.stored, retry.body.duplicates], [3, 1]);
    assert.equal(hooks.length, 3);
    assert.equal((await ConversationModel.findOne({ threadKey: 'old' }).lean())?.messageCount, 2);
  });

  it('keeps the default limits when the app is built without raw limits', async () => {
    const plain = createApp({ logger: createLogger('silent'), pipeline: { router: testRouter() }, ingest: { maxBytes: 64 * 1024, maxBatch: 5 } });
    const res = await request(plain).post('/api/ingest').set('Authorization', auth).send(message({ raw: nested(40) })).expect(400);
    assert.deepEqual(fieldsOf(res.body), ['raw']);
  });
});
