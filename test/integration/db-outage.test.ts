import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Agenda } from 'agenda';
import mongoose from 'mongoose';
import request from 'supertest';
import { startEmbeddedDb, type RunningEmbeddedDb } from '../../scripts/db/embedded';
import { freePort } from '../../scripts/db/net';
import { createAgenda } from '../../src/jobs/agenda';
import { logAgendaErrors } from '../../src/jobs/failures';
import { createLogger } from '../../src/runtime/logger';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { bearer, seedDepartments, testApp } from '../support/app';
import { waitFor } from '../support/process';

function message(externalId: string) {
  return { source: 'shop-contact-form', externalId, threadKey: `case-${externalId}`, author: { handle: '@jo' }, text: 'The thermostat is broken', createdAt: '2026-11-20T10:00:00Z' };
}

// This stops and restarts its own embedded server: a suite run on TEST_MONGODB_URI has none to stop
if (!process.env.TEST_MONGODB_URI?.trim()) {
  describe('database outage: 503 with Retry-After, /readyz says so, and the app recovers by itself', function () {
    this.timeout(180_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-outage-'));
    const sourcesDir = process.env.DOCUMENTDB_SOURCES_DIR?.trim() || undefined;
    const app = testApp();
    let port: number;
    let db: RunningEmbeddedDb | undefined;
    let agenda: Agenda;
    const logged: string[] = [];
    const probeRuns: string[] = [];

    before(async () => {
      port = await freePort();
      db = await startEmbeddedDb({ port, dataDir, throwaway: true, sourcesDir, startTimeoutMs: 60_000 });
      // a short wait keeps the test quick; the app's own default is STORE_WAIT_MS
      await connectStore(db.uri, 'outage', 1_500);
      await seedDepartments();
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          logged.push(chunk.toString());
          done();
        },
      });
      agenda = await createAgenda(mongoose.connection.db!, 200);
      logAgendaErrors(agenda, createLogger('error', sink));
      agenda.define('outage-probe', (job) => {
        probeRuns.push(String((job.attrs.data as { tag?: string }).tag));
        return Promise.resolve();
      });
      await agenda.start();
    });
    after(async () => {
      await agenda.stop().catch(() => {});
      await disconnectStore();
      await db?.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers 503 store_unavailable while the database is down, writes nothing, and works again once it is back', async () => {
      const ingest = await bearer('ingest');
      const agent = await bearer('agent');
      await request(app).post('/api/ingest').set('Authorization', ingest).send(message('before')).expect(200);
      assert.equal((await request(app).get('/readyz')).status, 200);

      await db!.stop();
      db = undefined;

      const refused = await request(app).post('/api/ingest').set('Authorization', ingest).send(message('during'));
      assert.equal(refused.status, 503, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'store_unavailable');
      assert.match(refused.body.error.message, /database is unreachable/);
      assert.equal(refused.headers['retry-after'], '5');

      const listed = await request(app).get('/api/conversations').set('Authorization', agent);
      assert.equal(listed.status, 503, JSON.stringify(listed.body));
      assert.equal(listed.body.error.code, 'store_unavailable');
      assert.equal(listed.headers['retry-after'], '5');

      const ready = await request(app).get('/readyz');
      assert.deepEqual([ready.status, ready.body.status], [503, 'database unreachable']);
      assert.equal((await request(app).get('/healthz')).status, 200);
      // agenda's polls fail meanwhile: logged, and this process is still here to assert it
      await waitFor(() => Promise.resolve(logged.some((l) => l.includes('job queue poll failed'))), 20_000, 'a logged agenda poll failure');

      db = await startEmbeddedDb({ port, dataDir, throwaway: true, sourcesDir, startTimeoutMs: 60_000 });
      await waitFor(async () => (await request(app).get('/readyz')).status === 200, 30_000, '/readyz 200 after the restart');

      // the refused message left nothing behind: the client's retry stores it once
      assert.equal(await MessageModel.countDocuments({ externalId: 'during' }), 0);
      const retried = await request(app).post('/api/ingest').set('Authorization', ingest).send(message('during')).expect(200);
      assert.deepEqual([retried.body.stored, retried.body.duplicates], [1, 0]);
      assert.equal(await MessageModel.countDocuments(), 2);
      assert.equal(await ConversationModel.countDocuments(), 2);
      assert.equal((await request(app).get('/api/conversations').set('Authorization', agent)).status, 200);

      await agenda.now('outage-probe', { tag: 'after' });
      await waitFor(() => Promise.resolve(probeRuns.includes('after')), 20_000, 'agenda running a job after the restart');
    });
  });
}
