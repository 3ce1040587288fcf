import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/runtime/logger';

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
