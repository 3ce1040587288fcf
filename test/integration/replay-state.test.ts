import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config';
import { configuredAccounts } from '../../src/runtime/connectors';
import { createLogger } from '../../src/runtime/logger';
import { logReplayState } from '../../src/runtime/replay-state';
import { registerAccount, saveCursor } from '../../src/store/repositories/channel-accounts';
import { clearCollections, useTestDatabase } from '../support/database';

describe('the demo replay at start', () => {
  useTestDatabase();
  beforeEach(() => clearCollections());

  function logged(): { logger: ReturnType<typeof createLogger>; lines: () => Array<{ level: number; msg: string }> } {
    const chunks: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    return { logger: createLogger('info', sink), lines: () => chunks.map((c) => JSON.parse(c) as { level: number; msg: string }) };
  }

  it('says where it plays from, and on a second start that it already ran and how to play it again', async () => {
    const config = loadConfig({ FERRETDB_DATA_DIR: './data/ferretdb' });
    const accounts = configuredAccounts(config);
    const replay = accounts[0]!;
    await registerAccount({ channel: 'replay', account: replay.account });
    const first = logged();
    assert.equal(await logReplayState(accounts, config, first.logger), 'playing');
    assert.match(first.lines()[0]!.msg, /^demo replay: playing connectors\/replay\/example\.jsonl from message 1 of 286, one every 2000 ms$/);

    await saveCursor({ channel: 'replay', account: replay.account }, { line: '286' });
    const second = logged();
    assert.equal(await logReplayState(accounts, config, second.logger), 'done');
    const [line] = second.lines();
    assert.equal(line?.level, 40);
    assert.match(line.msg, /already played all 286 messages .* To play it again, stop Switchboard, delete the embedded store's folder \(rm -rf \.\/data\/ferretdb\) or start with another DB_NAME/);
    const onMongo = logged();
    await logReplayState(accounts, loadConfig({ MONGODB_URI: 'mongodb://db.example/', DB_NAME: 'demo' }), onMongo.logger);
    assert.match(onMongo.lines()[0]!.msg, /drop the database demo \(mongosh/);
  });
});
