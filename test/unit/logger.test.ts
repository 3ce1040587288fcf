import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { createLogger, prettyDestination, redactUrl } from '../../src/runtime/logger';
import { bearer, testRouter } from '../support/app';
import { useTestDatabase } from '../support/database';

describe('logs', () => {
  it('never show tokens or secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ req: { headers: { authorization: 'Bearer sb_secret1' } } }, 'request');
    logger.info({ account: { appKey: 'key-2', appSecret: 'secret-3', accessToken: 'tok-4', accessSecret: 'sec-5' } }, 'account');
    logger.info({ ingest: { token: 'sb_secret6' }, mongodbUri: 'mongodb://user:pw7@db' }, 'settings');
    const out = lines.join('');
    for (const secret of ['sb_secret1', 'key-2', 'secret-3', 'tok-4', 'sec-5', 'sb_secret6', 'pw7']) {
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    }
    assert.equal((out.match(/\[redacted\]/g) ?? []).length, 7);
  });
});

describe('logged request URLs', () => {
  it('lose tokens in the query string and token-shaped path segments, and keep everything else', () => {
    const token = 'sb_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v';
    assert.equal(redactUrl(`/api/conversations?limit=5&token=${token}&status=open`), '/api/conversations?limit=5&token=[redacted]&status=open');
    assert.equal(redactUrl('/api/x?access_token=abc&API%5FKEY=def&sig=ghi&q=jkl'), '/api/x?access_token=[redacted]&API%5FKEY=[redacted]&sig=[redacted]&q=jkl');
    assert.equal(redactUrl(`/api/conversations/${token}`), '/api/conversations/[redacted]');
    assert.equal(redactUrl(`/api/x?q=${token}&bad=%E0%A4%A`), '/api/x?q=[redacted]&bad=%E0%A4%A');
    assert.equal(redactUrl('/slack/events?x=xoxb-1234-5678-abcdefgh'), '/slack/events?x=[redacted]');
    assert.equal(redactUrl('/healthz'), '/healthz');
  });
});

function sinkOf(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
}

describe('log lines', () => {
  it('at a terminal are pino-pretty\'s readable lines, not JSON', () => {
    const lines: string[] = [];
    createLogger('info', prettyDestination(sinkOf(lines))).info({ port: 3000 }, 'Switchboard listening');
    const out = lines.join('');
    assert.match(out, /INFO.*Switchboard listening/);
    assert.match(out, /port: 3000/);
    assert.ok(!out.trimStart().startsWith('{'), out);
  });

  it('for a request carry no headers at info, and headers (credentials redacted) at debug', async () => {
    for (const level of ['info', 'debug']) {
      const lines: string[] = [];
      const app = createApp({ logger: createLogger(level, sinkOf(lines)), pipeline: { router: testRouter() }, ingest: { maxBytes: 4096, maxBatch: 2 } });
      await request(app).get('/nowhere').set('Authorization', 'Bearer sb_abcdefghijklmnopqrstuvwxyz').set('User-Agent', 'probe/1').expect(404);
      await new Promise((resolve) => setImmediate(resolve));
      const line = JSON.parse(lines.find((l) => l.includes('request completed')) ?? '{}') as { req?: { method?: string; url?: string; headers?: Record<string, string> }; res?: { statusCode?: number; headers?: unknown } };
      assert.deepEqual([line.req?.method, line.req?.url, line.res?.statusCode], ['GET', '/nowhere', 404]);
      if (level === 'info') {
        assert.equal(line.req?.headers, undefined);
        assert.equal(line.res?.headers, undefined);
      } else {
        assert.equal(line.req?.headers?.['user-agent'], 'probe/1');
        assert.equal(line.req?.headers?.authorization, '[redacted]');
      }
    }
  });
});

describe('the app log', () => {
  useTestDatabase();

  it('never shows an API token sent in the query string or the Authorization header', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = createApp({ logger: createLogger('info', sink), pipeline: { router: testRouter() }, ingest: { maxBytes: 4096, maxBatch: 2 } });
    const auth = await bearer('agent');
    const token = auth.slice('Bearer '.length);
    await request(app).get(`/api/conversations?token=${token}&limit=1`).set('Authorization', auth).expect(400);
    await request(app).get(`/api/conversations?access_token=${token}`).expect(401);
    await request(app).get(`/api/departments/${token}`).set('Authorization', auth).expect(404);
    await new Promise((resolve) => setImmediate(resolve));
    const out = lines.join('');
    assert.equal(lines.length, 3, out);
    assert.ok(!out.includes(token.slice(3)), `token leaked: ${out}`);
    assert.match(out, /"url":"\/api\/conversations\?token=\[redacted\]&limit=1"/);
    assert.match(out, /"query":\{"token":"\[redacted\]","limit":"1"\}/);
  });
});
