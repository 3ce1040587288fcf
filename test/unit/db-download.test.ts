import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withBuildLock } from '../../scripts/db/lock';
import { DEFAULT_SOURCES_DIR } from '../../scripts/db/paths';
import { Progress } from '../../scripts/db/progress';
import { downloadedSources, downloadOf, sha256File, TARBALLS } from '../../scripts/db/sources';
import { FakeReleaseArchives } from '../fakes/release-archives';

const VENDORED = process.env.DOCUMENTDB_SOURCES_DIR?.trim() || DEFAULT_SOURCES_DIR;
// the fake serves the vendored libbson repack where GitHub serves the release file: expect the repack's sum there
const sums = { libbson: TARBALLS.libbson.sha256 };

describe('the embedded database build: downloads and one build at a time', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-db-download-'));
  let archives: FakeReleaseArchives;
  const said: string[] = [];
  const progress = new Progress((line) => said.push(line));
  beforeEach(async () => {
    said.length = 0;
    archives = await new FakeReleaseArchives(VENDORED).listen();
  });
  afterEach(() => archives.close());
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('without a sources folder, downloads the pinned versions from their release archives, checks each SHA-256 and keeps them', async () => {
    const into = path.join(tmp, 'downloads');
    const found = await downloadedSources({ into, base: archives.url, sums }, progress);
    for (const [name, tarball] of Object.entries(TARBALLS)) {
      const file = found[name as keyof typeof TARBALLS];
      assert.equal(file, path.join(into, downloadOf(tarball).file));
      assert.equal(await sha256File(file), tarball.sha256);
    }
    assert.deepEqual(archives.requests.sort(), Object.values(TARBALLS).map((t) => new URL(downloadOf(t).url).pathname).sort());
    assert.ok(said.some((l) => l.includes(`downloading ${archives.url}/pgvector/pgvector/archive/refs/tags/v0.8.0.tar.gz`)), said.join('\n'));
    assert.ok(said.some((l) => l.includes(`downloading ${archives.url}/mongodb/mongo-c-driver/releases/download/1.28.0/mongo-c-driver-1.28.0.tar.gz`)), said.join('\n'));
    await downloadedSources({ into, base: archives.url, sums }, progress);
    assert.equal(archives.requests.length, 4, 'a second run checks what it has and fetches nothing');
  });

  it('checks a downloaded libbson against the release file\'s own sum, not the vendored repack\'s', async () => {
    const into = path.join(tmp, 'release-file');
    const released = downloadOf(TARBALLS.libbson);
    assert.notEqual(released.sha256, TARBALLS.libbson.sha256);
    await assert.rejects(downloadedSources({ into, base: archives.url }, progress), (err: Error) => {
      for (const part of [path.join(into, released.file), `expected ${released.sha256}`, `SHA-256 is ${TARBALLS.libbson.sha256}`]) assert.ok(err.message.includes(part), err.message);
      return true;
    });
  });

  it('refuses a download whose SHA-256 is not the pinned one, naming the file, the URL and both sums, and does not keep it', async () => {
    const into = path.join(tmp, 'tampered');
    const at = FakeReleaseArchives.pathOf(TARBALLS.pgCron.file);
    archives.replaced.set(at, Buffer.from('a repacked or tampered archive'));
    await assert.rejects(downloadedSources({ into, base: archives.url, sums }, progress), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'db_source_mismatch');
      for (const part of [path.join(into, TARBALLS.pgCron.file), TARBALLS.pgCron.sha256, `${archives.url}${at}`]) assert.ok(err.message.includes(part), err.message);
      return true;
    });
    assert.equal(fs.existsSync(path.join(into, TARBALLS.pgCron.file)), false, 'the next run fetches it again');
    archives.replaced.clear();
    await downloadedSources({ into, base: archives.url, sums }, progress);
  });

  it('names the URL of a download that fails', async () => {
    await archives.close(); // nothing answers: as offline as a machine without internet
    await assert.rejects(downloadedSources({ into: path.join(tmp, 'offline'), base: archives.url, timeoutMs: 5000 }, progress), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'db_source_mismatch');
      assert.match(err.message, /download of http:\/\/127\.0\.0\.1:\d+\/mongodb\/mongo-c-driver\/releases\/download\/1\.28\.0\/mongo-c-driver-1\.28\.0\.tar\.gz failed/);
      assert.match(err.message, /DOCUMENTDB_SOURCES_DIR/);
      return true;
    });
  });

  it('a second build waits for the one running, says so, then uses its result instead of building over it', async () => {
    const lock = path.join(tmp, 'cache', 'build.lock');
    const result = path.join(tmp, 'cache', 'built');
    const order: string[] = [];
    const buildOnce = (who: string) => withBuildLock(lock, progress, async (waitedFor) => {
      if (fs.existsSync(result)) {
        order.push(`${who} used the result (waited for ${String(waitedFor)})`);
        return;
      }
      order.push(`${who} builds`);
      await new Promise((resolve) => setTimeout(resolve, 600));
      fs.writeFileSync(result, 'done');
      order.push(`${who} built`);
    }, 50);
    await Promise.all([buildOnce('first'), buildOnce('second')]);
    assert.deepEqual(order, ['first builds', 'first built', `second used the result (waited for ${process.pid})`]);
    assert.ok(said.some((l) => l.includes(`another build (pid ${process.pid}) is running`)), said.join('\n'));
    assert.equal(fs.existsSync(lock), false, 'released');
  });

  it('a build lock left by a build that was killed is taken over once its process is gone', async () => {
    const lock = path.join(tmp, 'killed', 'build.lock');
    const holder = spawn('sleep', ['30']);
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, JSON.stringify({ pid: holder.pid }));
    let ran: number | undefined;
    const waiting = withBuildLock(lock, progress, (waitedFor) => Promise.resolve((ran = waitedFor ?? -1)), 50);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(ran, undefined, 'waits while the holder lives');
    holder.kill('SIGKILL');
    await waiting;
    assert.equal(ran, holder.pid);
  });
});
