import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedDb } from '../../scripts/db/embedded';
import { freePort, portAnswers } from '../../scripts/db/net';
import { runScript, waitFor } from '../support/process';

// These test the embedded server itself: a suite run on TEST_MONGODB_URI has none to test
if (!process.env.TEST_MONGODB_URI?.trim()) {
  describe('npm run db:start (embedded FerretDB 2 + PostgreSQL on a data folder)', function () {
    this.timeout(120_000);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-db-start-'));
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    it('prints its URI once it answers, refuses a second start on the folder, and stops both servers on SIGTERM', async () => {
      const port = await freePort();
      const env: Record<string, string> = { LOG_LEVEL: 'warn', ...(process.env.DOCUMENTDB_SOURCES_DIR ? { DOCUMENTDB_SOURCES_DIR: process.env.DOCUMENTDB_SOURCES_DIR } : {}) };
      const db = runScript('scripts/db/start-command.ts', ['--port', String(port), '--data', dataDir], env);
      try {
        await waitFor(() => Promise.resolve(db.output().includes('mongodb://') || db.child.exitCode !== null), 90_000, 'the URI');
        const uri = `mongodb://127.0.0.1:${port}/`;
        assert.ok(db.output().includes(`${uri}\n`), db.output());

        const client = await MongoClient.connect(uri);
        await client.db('smoke').collection('t').insertOne({ periods: [['09:00', '17:00']] });
        assert.deepEqual((await client.db('smoke').collection('t').findOne())?.periods, [['09:00', '17:00']]);
        await client.close();

        const pgPid = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
        await assert.rejects(startEmbeddedDb({ port: await freePort(), dataDir }), (err: Error & { code?: string }) => {
          assert.equal(err.code, 'db_locked');
          assert.match(err.message, new RegExp(`already running \\(pid \\d+, ${uri.replace(/[/.]/g, '\\$&')}\\)`));
          return true;
        });

        db.child.kill('SIGTERM');
        assert.equal((await db.done).code, 0, db.output());
        assert.equal(await portAnswers(port), false, 'FerretDB still listens');
        assert.throws(() => process.kill(pgPid, 0), 'PostgreSQL still runs');
        assert.equal(fs.existsSync(path.join(dataDir, 'embedded.lock')), false);
      } finally {
        db.child.kill('SIGTERM');
      }
    });

    it('after a kill -9 of its servers, starts again on the folder; a throw-away cluster killed so is refused, named', async () => {
      const sourcesDir = process.env.DOCUMENTDB_SOURCES_DIR?.trim() || undefined;
      const killed = async (throwaway: boolean) => {
        const dir = fs.mkdtempSync(path.join(dataDir, throwaway ? 'throwaway-' : 'kept-'));
        const db = await startEmbeddedDb({ port: await freePort(), dataDir: dir, throwaway, sourcesDir });
        for (const pid of [db.pids.ferretdb, db.pids.postgres]) process.kill(pid, 'SIGKILL');
        await db.stop();
        return dir;
      };
      const kept = await killed(false);
      const again = await startEmbeddedDb({ port: await freePort(), dataDir: kept, sourcesDir });
      await again.stop();
      const throwaway = await killed(true);
      await assert.rejects(startEmbeddedDb({ port: await freePort(), dataDir: throwaway, throwaway: true, sourcesDir }), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'db_start_failed');
        assert.ok(err.message.includes(`throw-away cluster in ${path.join(throwaway, 'pg')} was not shut down cleanly`), err.message);
        return true;
      });
      assert.equal(fs.existsSync(path.join(throwaway, 'embedded.lock')), false, 'the refused start released the folder');
    });
  });
}
