import assert from 'node:assert/strict';
import type { Agenda } from 'agenda';
import mongoose from 'mongoose';
import { createAgenda } from '../../src/jobs/agenda';
import { agendaOutbox, JOBS } from '../../src/jobs/outbox';
import { clearCollections, useTestDatabase } from '../support/database';

describe('outbox jobs in agenda: one job per item however often it is queued', () => {
  useTestDatabase();
  let agenda: Agenda;
  beforeEach(async () => {
    await clearCollections();
    // never started: the test looks at the stored jobs, nothing runs them
    agenda = await createAgenda(mongoose.connection.db!, 60_000);
  });
  const jobs = () => mongoose.connection.db!.collection('agendaJobs').find({}).toArray();

  it('queues a card, a thread line and a delivery once each when the sweep queues them again', async () => {
    const outbox = agendaOutbox(agenda, true);
    for (let i = 0; i < 3; i++) {
      await outbox.conversationRouted('c1');
      await outbox.followUpStored('m1');
      await outbox.replyQueued('r1');
    }
    await outbox.replyQueued('r2');
    const stored = await jobs();
    assert.deepEqual(
      stored.map((j) => `${String(j.name)}:${Object.values(j.data as object).join()}`).sort(),
      [`${JOBS.deliver}:r1`, `${JOBS.deliver}:r2`, `${JOBS.postFollowUp}:m1`, `${JOBS.postConversation}:c1`].sort(),
    );
  });

  it('re-arms a job left locked by a dead process, or given up, instead of adding a second', async () => {
    const outbox = agendaOutbox(agenda, true);
    await outbox.conversationRouted('c1');
    const locked = new Date(Date.now() - 1000);
    await mongoose.connection.db!.collection('agendaJobs').updateOne({ name: JOBS.postConversation }, { $set: { lockedAt: locked, nextRunAt: null, failCount: 10, failedAt: locked } });
    await outbox.conversationRouted('c1');
    const [job, ...others] = await jobs();
    assert.equal(others.length, 0);
    assert.equal(job?.lockedAt, null);
    assert.equal(job?.failedAt, null);
    assert.ok(job?.nextRunAt instanceof Date && job.nextRunAt.getTime() <= Date.now());
  });

  it('queues no Slack job when Slack is off', async () => {
    const outbox = agendaOutbox(agenda, false);
    await outbox.conversationRouted('c1');
    await outbox.followUpStored('m1');
    assert.deepEqual(await jobs(), []);
  });
});
