import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { ingestMessage } from '../../src/ingest/pipeline';
import { createAgenda, JOBS_COLLECTION } from '../../src/jobs/agenda';
import { JOBS } from '../../src/jobs/outbox';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api';
import { testRouter } from '../support/app';
import { appEnv, ONE_CHANNEL, postsByKey, startApp, type AppProcess } from '../support/app-processes';
import { useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';
import { waitFor } from '../support/process';

const CARDS = 100;
const APPS = 4;

/**
 * Four app processes on one database, 100 card jobs due at the same instant: agenda's claim (find the next due,
 * unlocked job and lock it in one findAndModify) must give each job to one process. On a server whose
 * findAndModify is not atomic, two processes lock the same job, and (their lease being a claim of the same kind)
 * both post the card; the fake Slack counts the posts.
 */
describe(`${APPS} app processes on one database run each of ${CARDS} queued card jobs exactly once`, function () {
  this.timeout(600_000);
  const database = useTestDatabase();
  let slack: FakeSlackApi;
  const apps: AppProcess[] = [];
  before(async () => {
    slack = await startFakeSlackApi();
    slack.addChannel(ONE_CHANNEL, 'support');
  });
  after(async () => {
    await Promise.all(apps.splice(0).map((a) => a.stop()));
    await slack.close();
  });

  it('posts every card once, all four processes running', async () => {
    const env = appEnv(database.uri(), database.dbName(), slack);
    // the first start trains and stores the classifier; the other three load it
    apps.push(await startApp(env));
    apps.push(...(await Promise.all(Array.from({ length: APPS - 1 }, () => startApp(env)))));

    const ids: string[] = [];
    for (let i = 0; i < CARDS; i++) {
      ids.push(String((await ingestMessage(inbound({ threadKey: `card-${i}`, text: `my thermostat ${i} is broken` }), { router: testRouter() })).conversationId));
    }
    // queued the way the outbox queues them (one unique job per conversation), all due at one instant
    const queue = await createAgenda(mongoose.connection.db!, 60_000);
    const dueAt = new Date(Date.now() + 2000);
    for (const conversationId of ids) {
      await queue.create(JOBS.postConversation, { conversationId }).unique({ 'data.conversationId': conversationId }).schedule(dueAt).save();
    }
    const jobs = () => mongoose.connection.db!.collection(JOBS_COLLECTION).countDocuments({ name: JOBS.postConversation });
    await waitFor(async () => (await jobs()) === 0, 90_000, 'every card job to finish');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // a twin's post would show up within a poll or two

    const posts = postsByKey(slack);
    const twice = ids.filter((id) => (posts.get(`conversation:${id}`) ?? 0) > 1);
    const never = ids.filter((id) => !posts.has(`conversation:${id}`));
    assert.deepEqual({ twice, never }, { twice: [], never: [] }, 'each card posted exactly once');
    assert.equal(slack.messages(ONE_CHANNEL).length, CARDS, 'the channel shows one card per conversation');
    for (const app of apps.splice(0)) assert.equal(await app.stop(), 0, 'each process stops cleanly');
  });
});
