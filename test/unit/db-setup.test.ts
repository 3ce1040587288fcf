import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { APT_PACKAGES, aptCommands, needsSetupError, offeredIn, offeredPackages, PGDG_SCRIPT } from '../../scripts/db/apt';
import { acquireLock } from '../../scripts/db/lock';
import { Progress } from '../../scripts/db/progress';
import { TARBALLS, verifiedSources } from '../../scripts/db/sources';

describe('setting up the embedded database', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-db-setup-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const quiet = new Progress(() => {});

  it('installs only the missing apt packages, without recommends, after an update; removes Debian\'s pg_cron', () => {
    const installed = new Set(APT_PACKAGES.filter((p) => p !== 'postgresql-15-rum' && p !== 'cmake'));
    const [update, install, ...rest] = aptCommands(installed);
    assert.deepEqual(update, ['apt-get', 'update']);
    assert.deepEqual(install?.slice(0, 4), ['apt-get', 'install', '-y', '--no-install-recommends']);
    assert.deepEqual(new Set(install?.slice(4)), new Set(['postgresql-15-rum', 'cmake']));
    assert.deepEqual(rest, []);
    assert.deepEqual(aptCommands(new Set([...APT_PACKAGES, 'postgresql-15-cron'])), [['apt-get', 'remove', '-y', 'postgresql-15-cron']]);
    assert.deepEqual(aptCommands(new Set(APT_PACKAGES)), []);
  });

  it('without root or sudo, stops with the exact commands to run instead of a compiler error', () => {
    const err = needsSetupError(aptCommands(new Set()));
    assert.equal(err.code, 'db_setup_needed');
    assert.ok(err.message.includes(`sudo apt-get install -y --no-install-recommends ${APT_PACKAGES.join(' ')}`), err.message);
    assert.ok(err.message.includes('sudo apt-get update'), err.message);
  });

  it('where the release offers no PostgreSQL 15 (Ubuntu, Debian 11 or 13), adds the PostgreSQL project\'s apt repository before installing', () => {
    // apt-cache policy on such a release: postgresql-15 unknown, its -rum package known without a candidate
    const policy = ['cmake:', '  Installed: (none)', '  Candidate: 3.28.3-1build7', 'postgresql-15-rum:', '  Installed: (none)', '  Candidate: (none)', '  Version table:'].join('\n');
    const offered = offeredIn(policy);
    assert.deepEqual([...offered], ['cmake']);
    const [update, common, pgdg, install] = aptCommands(new Set(), offered);
    assert.deepEqual(update, ['apt-get', 'update']);
    assert.deepEqual(common, ['apt-get', 'install', '-y', '--no-install-recommends', 'postgresql-common']);
    assert.deepEqual(pgdg, [PGDG_SCRIPT, '-y']);
    assert.deepEqual(install?.slice(4), APT_PACKAGES);
    assert.ok(needsSetupError(aptCommands(new Set(), offered)).message.includes(`sudo ${PGDG_SCRIPT} -y`));
    assert.equal(aptCommands(new Set(), new Set(APT_PACKAGES)).length, 2, 'Debian 12 needs no other repository');
    assert.equal(aptCommands(new Set(), undefined).length, 2, 'nor does a machine whose lists are not read yet: the lists come first');
  });

  it('reads what this machine\'s apt sources offer (Debian 12: all of our packages, PostgreSQL 15 among them)', async () => {
    const offered = await offeredPackages();
    assert.deepEqual(APT_PACKAGES.filter((p) => !offered?.has(p)), []);
  });

  it('refuses a source tarball whose SHA-256 is not the pinned one, naming the file and both sums', async () => {
    const dir = path.join(tmp, 'tampered');
    fs.mkdirSync(dir);
    for (const t of Object.values(TARBALLS)) fs.writeFileSync(path.join(dir, t.file), 'not the release');
    await assert.rejects(verifiedSources(dir, quiet), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'db_source_mismatch');
      assert.ok(err.message.includes(path.join(dir, TARBALLS.libbson.file)) && err.message.includes(TARBALLS.libbson.sha256), err.message);
      return true;
    });
  });

  it('names a missing tarball or folder given in DOCUMENTDB_SOURCES_DIR', async () => {
    await assert.rejects(verifiedSources(path.join(tmp, 'nowhere'), quiet), /DOCUMENTDB_SOURCES_DIR .*nowhere does not exist/);
    fs.mkdirSync(path.join(tmp, 'empty'));
    await assert.rejects(verifiedSources(path.join(tmp, 'empty'), quiet), new RegExp(`${TARBALLS.libbson.file} is missing`));
  });

  it('a data folder locked by a live process is refused; a lock left by a dead one is taken over', () => {
    const dir = path.join(tmp, 'data');
    fs.mkdirSync(dir);
    const release = acquireLock(dir, 27999);
    assert.throws(() => acquireLock(dir, 28000), /already running \(pid \d+, mongodb:\/\/127\.0\.0\.1:27999\/\)/);
    release();
    const dead = spawnSync('true').pid;
    fs.writeFileSync(path.join(dir, 'embedded.lock'), JSON.stringify({ pid: dead, port: 27999 }));
    acquireLock(dir, 28001)();
    assert.equal(fs.existsSync(path.join(dir, 'embedded.lock')), false);
  });
});
