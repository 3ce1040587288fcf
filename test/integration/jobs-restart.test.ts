import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Agenda } from 'agenda';
import mongoose from 'mongoose';
import { ingestBatch } from '../../src/ingest/pipeline';
import { createAgenda, JOBS_COLLECTION, queueOnce, stopAgenda } from '../../src/jobs/agenda';
import { renewingLock } from '../../src/jobs/locks';
import { defineOutboxJobs, JOBS } from '../../src/jobs/outbox';
import { ConversationModel } from '../../src/store/models/conversation';
import { acquireLease, releaseLease } from '../../src/store/repositories/leases';
import { testRouter } from '../support/app';
import { clearCollections } from '../support/database';
import { inbound } from '../support/factories';
import { waitFor } from '../support/process';
import { useSlackWorld } from '../support/slack-world';

const db = () => mongoose.connection.db!;
const jobsNamed = (name: string) => db().collection(JOBS_COLLECTION).find({ name }).toArray();

describe('jobs survive restarts: unlocked on a clean stop, renewed while long, retried while busy', () => {
  const world = useSlackWorld();
  const agendas: Agenda[] = [];
  const started = async (processEveryMs = 100) => {
    const agenda = await createAgenda(db(), processEveryMs);
    agendas.push(agenda);
    return agenda;
  };
  afterEach(async () => {
    for (const agenda of agendas.splice(0)) await agenda.stop().catch(() => undefined);
    await clearCollections();
  });

  it('a job locked by a process that stopped cleanly runs on a new instance, not after its lock lifetime', async () => {
    const first = await started();
    let release: () => void = () => undefined;
    // never opened before the stop: the first job is still running when the stop's timeout ends
    const gate = new Promise<void>((resolve) => (release = resolve));
    const ranOnFirst: string[] = [];
    // one at a time: the second job is locked by this process but waits behind the first
    first.define<{ id: string }>('restart.work', async (job) => {
      ranOnFirst.push(job.attrs.data.id);
      await gate;
    }, { concurrency: 1, lockLifetime: 10 * 60_000 });
    await queueOnce(first, 'restart.work', { id: 'a' });
    await queueOnce(first, 'restart.work', { id: 'b' });
    await first.start();
    await waitFor(async () => (await jobsNamed('restart.work')).every((j) => j.lockedAt instanceof Date), 10_000, 'both jobs locked');
    assert.equal(ranOnFirst.length, 1, 'the second job waits behind the first');

    // the first job runs past the stop's timeout (and keeps its lock); the one waiting behind it never started
    const stopped = await stopAgenda(first, db(), 300);
    assert.deepEqual(stopped, { running: 1, timedOut: true });
    const byId = new Map((await jobsNamed('restart.work')).map((j) => [String(j.data.id), j]));
    const waitingId = ranOnFirst[0] === 'a' ? 'b' : 'a';
    assert.equal(byId.get(waitingId)?.lockedAt ?? null, null, 'the job this process locked but never ran is unlocked');
    assert.ok(byId.get(ranOnFirst[0]!)?.lockedAt instanceof Date, 'the job still running keeps its lock');

    const second = await started();
    const ranOnSecond: string[] = [];
    second.define<{ id: string }>('restart.work', (job) => Promise.resolve(void ranOnSecond.push(job.attrs.data.id)), { lockLifetime: 10 * 60_000 });
    await second.start();
    await waitFor(() => Promise.resolve(ranOnSecond.length > 0), 10_000, 'the unlocked job to run on the new instance');
    release();
    await sleep(500);
    assert.deepEqual(ranOnSecond, [waitingId], 'the new instance ran the unlocked job, and not the locked one');
    assert.deepEqual(ranOnFirst.length, 1, 'the stopped instance started nothing more');
  });

  it('a job longer than its lock lifetime renews its lock: neither cancelled nor run by a second worker', async () => {
    const runs: string[] = [];
    const failures: string[] = [];
    const workers = await Promise.all([started(), started()]);
    for (const [i, agenda] of workers.entries()) {
      agenda.define('restart.long', (job) => renewingLock(job, 1000, async () => {
        runs.push(`worker ${i}`);
        await sleep(3500);
      }), { lockLifetime: 1000 });
      agenda.on('fail', (err: Error) => failures.push(err.message));
    }
    await queueOnce(workers[0], 'restart.long', { id: 'long' });
    await Promise.all(workers.map((a) => a.start()));
    await waitFor(async () => (await jobsNamed('restart.long')).length === 0, 15_000, 'the long job to finish');
    await sleep(1500);
    assert.deepEqual(failures, []);
    assert.equal(runs.length, 1, `ran once, not on a second worker: ${runs.join(', ')}`);
  });

  it('a card whose lease another worker holds is retried, not dropped, and posted once the lease frees', async () => {
    const w = world();
    const [result] = await ingestBatch([inbound({ text: 'my thermostat is broken' })], { router: testRouter() });
    const conversationId = String(result!.conversationId);
    const lease = `slack:conversation:${conversationId}`;
    assert.ok(await acquireLease(lease, 'another-worker', 60_000));

    const agenda = await started();
    defineOutboxJobs(agenda, { notifier: w.slack.notifier, delivery: w.delivery, lockLifetimeMs: 5000 });
    await queueOnce(agenda, JOBS.postConversation, { conversationId });
    await agenda.start();
    await waitFor(async () => ((await jobsNamed(JOBS.postConversation))[0]?.failCount ?? 0) >= 2, 10_000, 'the busy job to retry');
    const cardPosts = () => w.slackApi.callsTo('chat.postMessage');
    assert.equal(cardPosts().length, 0, 'nothing posted while the other worker holds the item');
    assert.equal((await jobsNamed(JOBS.postConversation)).length, 1, 'the job is still there, waiting');

    await releaseLease(lease, 'another-worker');
    await waitFor(async () => Boolean((await ConversationModel.findById(conversationId).lean())?.slack?.ts), 20_000, 'the card to be posted');
    await sleep(500);
    assert.equal(cardPosts().length, 1, 'posted once');
    assert.equal((await jobsNamed(JOBS.postConversation)).length, 0, 'the job is done');
  });
});
