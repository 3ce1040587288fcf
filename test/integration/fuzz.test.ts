import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import request from 'supertest';
import { seededRandom } from '../../classifiers/random';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import type { InboundMessage } from '../../src/domain/message';
import { ingestMessage, type PipelineDeps } from '../../src/ingest/pipeline';
import { createLogger } from '../../src/runtime/logger';
import { SlaClock } from '../../src/sla/clock';
import { DepartmentDirectory } from '../../src/slack/directory';
import { MessageModel } from '../../src/store/models/message';
import { bearer, seedDepartments, clockedPipeline } from '../support/app';
import { useTestDatabase } from '../support/database';

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** JSON text nested `levels` deep, written by hand: JSON.stringify itself overflows on such depths. */
const deepJson = (levels: number, open = '[', close = ']', inner = '1'): string => `${open.repeat(levels)}${inner}${close.repeat(levels)}`;
const DEEP = { __json: deepJson(5000) };
const DEEP_OBJECT = { __json: deepJson(3000, '{"a":', '}') };

/** Values a careless or hostile client sends where something else belongs. */
const HOSTILE: readonly unknown[] = [
  null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, '', ' ', 'x'.repeat(20_000), '\u0000', '\ud800', '\u202e', '😀'.repeat(500),
  [], [1, 2], {}, { $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }, ['$gt'], { __proto__: { polluted: true } },
  '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z', '2026-13-45T99:99:99Z', '2005-12-31T23:59:59Z',
  '1970-01-01T00:00:00Z', 'yesterday', '2026-11-20', DEEP, DEEP_OBJECT,
];
/** The same as query-string values (everything in a query string is text) */
const HOSTILE_QUERY: readonly string[] = [
  '', ' ', '-1', '0', '1e400', 'NaN', 'Infinity', '99999999999999999999', '1.5', 'true', 'null', '[object Object]', '%00', '%ZZ', 'x'.repeat(5000),
  '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z', '2005-12-31T23:59:59Z', '2026-11-20T10:00:00Z', '2026-13-45T00:00:00Z',
  'department', 'open', 'resolved', 'support', '$gt', '{"$gt":""}',
];

function validMessage(random: Random, n: number): Record<string, unknown> {
  return {
    source: pick(random, ['shop', 'forum', 'app.store-1']),
    externalId: `fz-${n}`,
    threadKey: `thread-${Math.floor(random() * 40)}`,
    kind: pick(random, ['mention', 'dm', 'post']),
    author: { id: `c-${n % 17}`, name: 'Fuzz' },
    text: pick(random, ['my thermostat is broken', 'what is the price?', 'feature request', 'any job openings?', 'hm']),
    createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300 * 86_400_000)).toISOString(),
  };
}

const FIELDS = ['source', 'externalId', 'threadKey', 'kind', 'author', 'author.id', 'author.handle', 'author.profileUrl', 'text', 'createdAt', 'url', 'inReplyTo', 'raw', 'colour', '$set', '__proto__'];

/** A valid message with one or two fields replaced, removed or added. */
function mutated(random: Random, n: number): Record<string, unknown> {
  const m = validMessage(random, n);
  for (let k = 0; k < 1 + Math.floor(random() * 2); k++) {
    const field = pick(random, FIELDS);
    const value = random() < 0.1 ? undefined : pick(random, HOSTILE);
    const [outer, inner] = field.split('.') as [string, string | undefined];
    if (inner) m[outer] = { ...(m[outer] as object), [inner]: value };
    else if (value === undefined) delete m[outer];
    else Object.defineProperty(m, outer, { value, enumerable: true, configurable: true, writable: true });
  }
  return m;
}

/** JSON text of `body`, splicing in the hand-written deep values. */
function toJson(body: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(body, (_key, value: unknown) => {
    if (value === DEEP || value === DEEP_OBJECT) {
      marks.push((value as { __json: string }).__json);
      return `__deep_${marks.length - 1}__`;
    }
    return value;
  });
  return (text ?? 'null').replace(/"__deep_(\d+)__"/g, (_m, i: string) => marks[Number(i)]!);
}

interface Sent {
  method: string;
  path: string;
  status: number;
  body: unknown;
  note: string;
}

describe('fuzz: the webhook and every API route answer a client mistake with 4xx, never 5xx or a partial batch (seeded)', function () {
  this.timeout(120_000);
  useTestDatabase();
  const directory = new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })));
  const policyOf = (key: string) => directory.get(key)?.sla;
  const clock = new SlaClock(policyOf);
  const pipeline: PipelineDeps = clockedPipeline(clock);
  const app = createApp({ logger: createLogger('silent'), pipeline, ingest: { maxBytes: 64 * 1024, maxBatch: 5 }, events: clock, sla: { policyOf } });
  const failures: Sent[] = [];
  let sent = 0;
  let admin = '';
  let conversationIds: string[] = [];

  before(async () => {
    await seedDepartments();
    admin = await bearer('admin');
    // a conversation from before these limits existed, dated Go's zero time: the SLA arithmetic must not walk 2,000 years
    const ancient: InboundMessage = {
      channel: 'x', account: 'legacy', externalId: 'zero-time', threadKey: 'zero-time', kind: 'mention',
      author: { handle: '@old' }, text: 'my thermostat is broken', createdAt: new Date('0001-01-01T00:00:00Z'),
    };
    conversationIds.push((await ingestMessage(ancient, pipeline)).conversationId);
  });

  const statuses = new Map<string, number>();
  function record(method: string, path: string, res: { status: number; body: unknown }, note: string): void {
    sent++;
    const key = `${method} ${path.split('?')[0]!.slice(0, 30)} ${res.status} ${(res.body as { error?: { code?: string } })?.error?.code ?? ''}`;
    statuses.set(key, (statuses.get(key) ?? 0) + 1);
    if (res.status >= 500) failures.push({ method, path, status: res.status, body: res.body, note });
  }

  after(() => {
    // FUZZ_STATS=1 prints what the requests got, per route, status and error code
    if (process.env.FUZZ_STATS) console.log([...statuses].sort().map(([k, v]) => `${v}\t${k}`).join('\n'));
  });

  it('POST /api/ingest: mutated messages, mixed batches, deep and huge raw, corrupt and unknown encodings', async () => {
    const random = seededRandom(9_001);
    let partial = 0;
    for (let n = 0; n < 280; n++) {
      const shape = random();
      let body: unknown;
      if (shape < 0.45) body = mutated(random, n);
      else if (shape < 0.75) body = Array.from({ length: 1 + Math.floor(random() * 4) }, (_v, i) => (random() < 0.6 ? validMessage(random, n * 10 + i) : mutated(random, n * 10 + i)));
      else if (shape < 0.85) body = pick(random, HOSTILE);
      else body = validMessage(random, n);
      let bytes: Buffer = Buffer.from(toJson(body));
      let encoding = 'identity';
      const wire = random();
      if (wire < 0.08) [encoding, bytes] = ['gzip', zlib.gzipSync(bytes)];
      else if (wire < 0.12) [encoding, bytes] = ['gzip', zlib.gzipSync(bytes).subarray(0, Math.max(1, Math.floor(bytes.length / 3)))];
      else if (wire < 0.15) [encoding, bytes] = ['br', Buffer.concat([Buffer.from([0xff, 0x10]), bytes])];
      else if (wire < 0.17) encoding = 'deflate'; // plain JSON that says it is deflated
      else if (wire < 0.19) encoding = pick(random, ['compress', 'x-zip', 'gzip, br', 'identity;q=0']);
      const before = await MessageModel.estimatedDocumentCount();
      const res = await request(app)
        .post('/api/ingest')
        .set('Authorization', admin)
        .set('Content-Type', random() < 0.95 ? 'application/json' : 'text/plain')
        .set('Content-Encoding', encoding)
        .serialize((b: unknown) => b as string) // the bytes as built: superagent would re-encode a Buffer
        .send(bytes);
      const note = `${encoding} ${toJson(body).slice(0, 200)}`;
      record('POST', '/api/ingest', res, note);
      const stored = (await MessageModel.estimatedDocumentCount()) - before;
      const expected = res.status === 200 ? (res.body as { stored: number }).stored : 0;
      if (stored !== expected) {
        partial++;
        failures.push({ method: 'POST', path: '/api/ingest', status: res.status, body: res.body, note: `stored ${stored}, answered ${expected}: ${note}` });
      }
    }
    conversationIds = [...conversationIds, ...(await MessageModel.find().limit(20).lean()).map((m) => String(m.conversationId))];
    assert.equal(partial, 0, 'partial batches');
    assert.deepEqual(failures.slice(0, 5), []);
    assert.equal(sent, 280);
  });

  it('every API route: hostile query values, operators, ids, cursors and bodies', async () => {
    const random = seededRandom(4_711);
    const cursor = (): string => {
      const ms = pick(random, ['0', '-1', '1136073600000', String(Date.now()), '99999999999999999', '8640000000000001', '1e3', '']);
      const id = pick(random, ['0123456789abcdef01234567', conversationIds[0] ?? '', 'zz', '0123456789ABCDEF01234567', '']);
      return random() < 0.8 ? Buffer.from(`${ms}.${id}${random() < 0.1 ? '.x' : ''}`).toString('base64url') : pick(random, HOSTILE_QUERY);
    };
    const lists: Array<[string, string[]]> = [
      ['/api/conversations', ['department', 'status', 'channel', 'since', 'limit', 'cursor', 'status[$ne]', 'limit[]', 'unknown']],
      ['/api/conversations/at-risk', ['limit', 'limit[$gt]']],
      ['/api/reports/sla', ['from', 'to', 'groupBy', 'department']],
      ['/api/reports/sla.csv', ['from', 'to', 'groupBy']],
      ['/api/reports/sla/daily', ['from', 'to', 'department']],
      ['/api/routing/events', ['limit']],
      ['/api/feedback/digest', ['from', 'to', 'limit']],
      ['/api/stats/routing', ['since', 'until', 'since[$gt]']],
      ['/api/departments', ['x']],
      ['/api/classifier/models', ['x']],
    ];
    for (let n = 0; n < 400; n++) {
      const kind = random();
      if (kind < 0.7) {
        const [path, params] = pick(random, lists);
        const query = Array.from({ length: Math.floor(random() * 4) }, () => {
          const name = pick(random, params);
          const value = name === 'cursor' ? cursor() : pick(random, HOSTILE_QUERY);
          return `${name}=${/%|\[/.test(value) ? value : encodeURIComponent(value)}`;
        }).join('&');
        const url = query ? `${path}?${query}` : path;
        const res = await request(app).get(url).set('Authorization', random() < 0.95 ? admin : 'Bearer sb_wrong');
        record('GET', url, res, '');
      } else if (kind < 0.82) {
        const id = pick(random, [...conversationIds, '000000000000000000000000', 'aaaaaaaaaaaa', 'not-an-id', '%00', 'x'.repeat(3000), '$gt', '..%2f..%2fetc']);
        const res = await request(app).get(`/api/conversations/${id}`).set('Authorization', admin);
        record('GET', `/api/conversations/${id.slice(0, 40)}`, res, '');
      } else {
        const id = pick(random, [...conversationIds, '000000000000000000000000', 'nope']);
        const body = random() < 0.5
          ? { [pick(random, ['department', 'status', 'reason', '$set', 'colour'])]: pick(random, [...HOSTILE, 'sales', 'triage', 'resolved', 'waiting', 'open']) }
          : pick(random, HOSTILE);
        const res = await request(app)
          .patch(`/api/conversations/${id}`)
          .set('Authorization', admin)
          .set('Content-Type', 'application/json')
          .send(toJson(body));
        record('PATCH', `/api/conversations/${id}`, res, toJson(body).slice(0, 200));
      }
    }
    assert.deepEqual(failures.slice(0, 5), []);
    assert.ok(sent >= 400);
  });

  it('health, the dashboard and paths or methods that do not exist', async () => {
    const random = seededRandom(77);
    const paths = ['/healthz', '/readyz', '/dashboard', '/dashboard/assets/main.js', '/dashboard/..%2f..%2fpackage.json', '/dashboard/%00', '/api', '/api/nope', '/api/conversations/at-risk/x', '/%E0%A4%A', `/${'a'.repeat(4000)}`];
    for (let n = 0; n < 40; n++) {
      const path = pick(random, paths);
      const method = pick(random, ['get', 'post', 'put', 'delete', 'options', 'head'] as const);
      const res = await request(app)[method](path).set('Authorization', admin).set('Content-Type', 'application/json').send(method === 'get' || method === 'head' ? undefined : toJson(pick(random, HOSTILE)));
      record(method.toUpperCase(), path.slice(0, 40), res, '');
    }
    assert.deepEqual(failures.slice(0, 5), []);
  });
});
