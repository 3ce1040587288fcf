import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Agenda } from 'agenda';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestMessage, type PipelineDeps } from '../../src/ingest/pipeline';
import { createAgenda, JOBS_COLLECTION, stopAgenda } from '../../src/jobs/agenda';
import { logJobFailures } from '../../src/jobs/failures';
import { agendaOutbox, defineOutboxJobs } from '../../src/jobs/outbox';
import { createLogger } from '../../src/runtime/logger';
import { DepartmentDirectory } from '../../src/slack/directory';
import { SlackNotifier } from '../../src/slack/notify';
import { messageIdFor } from '../../src/store/ids';
import { testFerretdbUri } from '../setup/ferretdb';
import { testRouter } from '../support/app';
import { postsByKey } from '../support/app-processes';
import { inbound } from '../support/factories';
import { waitFor } from '../support/process';
import { CHANNELS, TRIAGE_CHANNEL, useSlackWorld } from '../support/slack-world';

const CARDS = 20;
const FOLLOW_UPS_EACH = 2;
// SLACK_RETRY_BASE_MS for the test: retries after 0.1 s, 0.2 s, 0.4 s ... so a 3 s outage spans five of them
const RETRY_BASE_MS = 100;
const OUTAGE_MS = 3000;

/**
 * The departments' channels are gone (channel_not_found), then Slack answers 500, while 20 cards and 40 follow-ups are
 * queued; two agenda instances (two connections, two lease owners) work them. Every failed run is retried, none is
 * taken for done because its twin holds the item, and each card and follow-up is posted once in the end.
 */
describe('a Slack outage: every card and follow-up is posted once afterwards, and the failures are logged', function () {
  this.timeout(120_000);
  const world = useSlackWorld();
  const agendas: Agenda[] = [];
  let second: MongoClient | undefined;
  afterEach(async () => {
    for (const agenda of agendas.splice(0)) await agenda.stop().catch(() => undefined);
    await second?.close();
  });

  it(`${CARDS} cards and ${CARDS * FOLLOW_UPS_EACH} follow-ups during a ${OUTAGE_MS / 1000} s missing channel and a burst of 500s`, async () => {
    const w = world();
    const logged: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _enc, done) => done(void logged.push(chunk.toString())) }));
    second = await MongoClient.connect(testFerretdbUri(), { maxPoolSize: 5 });
    const directory = () => new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })), CHANNELS, TRIAGE_CHANNEL);
    for (const db of [mongoose.connection.db!, second.db(mongoose.connection.db!.databaseName)]) {
      const agenda = await createAgenda(db, 100, 5000);
      // a notifier per worker: its own lease owner, as in two processes
      defineOutboxJobs(agenda, { notifier: new SlackNotifier(w.slack.client, directory(), 5000), delivery: w.delivery, lockLifetimeMs: 5000, slackRetryBaseMs: RETRY_BASE_MS });
      logJobFailures(agenda, logger);
      agendas.push(agenda);
    }
    const outbox = agendaOutbox(agendas[0]!, true);
    const pipeline: PipelineDeps = {
      router: testRouter(),
      onNewConversation: ({ conversationId }) => outbox.conversationRouted(String(conversationId)),
      onFollowUp: (messageId) => outbox.followUpStored(messageId),
    };

    // every department's channel is gone (the router's choice does not matter)
    const channels = new Map(w.slackApi.state.channels);
    w.slackApi.state.channels.clear();
    const ids: string[] = [];
    for (let i = 0; i < CARDS; i++) {
      ids.push(String((await ingestMessage(inbound({ threadKey: `case-${i}`, text: `my thermostat ${i} is broken` }), pipeline)).conversationId));
    }
    const followUps: string[] = [];
    for (let n = 0; n < FOLLOW_UPS_EACH; n++) {
      for (let i = 0; i < CARDS; i++) {
        const message = inbound({ threadKey: `case-${i}`, text: `still broken, try ${n}` });
        assert.equal((await ingestMessage(message, pipeline)).outcome, 'stored');
        followUps.push(String(messageIdFor(message)));
      }
    }
    // everything is queued before the workers start, so the outage lasts OUTAGE_MS for every item
    await Promise.all(agendas.map((a) => a.start()));
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    // on a loaded machine the first runs may come late: the outage lasts until every card was refused three times
    const refusedSoFar = () => w.slackApi.calls.filter((c) => c.error === 'channel_not_found').length;
    await waitFor(() => Promise.resolve(refusedSoFar() >= CARDS * 3), 60_000, 'three refused attempts per card');
    // the channel is back, but Slack's next 30 posts answer 500
    w.slackApi.failNext('chat.postMessage', { error: 'internal_error', status: 500 }, 30);
    for (const [id, channel] of channels) w.slackApi.state.channels.set(id, channel);

    const jobsLeft = () => mongoose.connection.db!.collection(JOBS_COLLECTION).countDocuments({ name: /^slack\.post-/ });
    await waitFor(async () => (await jobsLeft()) === 0, 90_000, 'every card and follow-up job to finish').catch(async (err: Error) => {
      const left = await mongoose.connection.db!.collection(JOBS_COLLECTION).find({ name: /^slack\.post-/ }).toArray();
      throw new Error(`${err.message}: ${JSON.stringify(left.slice(0, 5).map((j) => ({ name: j.name, failCount: j.failCount, failReason: j.failReason, nextRunAt: j.nextRunAt, lockedAt: j.lockedAt })))} (${left.length} left)`);
    });
    await Promise.all(agendas.map((a) => stopAgenda(a, a === agendas[0] ? mongoose.connection.db! : second!.db(mongoose.connection.db!.databaseName), 2000)));

    // a retry first looks for the uncertain post (conversations.history), which the missing channel refuses too
    const refused = w.slackApi.calls.filter((c) => c.error === 'channel_not_found').length;
    assert.ok(refused >= CARDS * 3, `the outage spanned several retries of each card (${refused} calls refused)`);
    const posts = postsByKey(w.slackApi);
    const counts = [...ids.map((id) => `conversation:${id}`), ...followUps.map((id) => `message:${id}`)].map((key) => [key, posts.get(key) ?? 0] as const);
    assert.deepEqual(counts.filter(([, n]) => n !== 1), [], 'each card and follow-up posted exactly once');
    const cards = [...channels.keys()].flatMap((id) => w.slackApi.messages(id).map((card) => ({ id, card })));
    assert.equal(cards.length, CARDS);
    for (const { id, card } of cards) assert.equal(w.slackApi.thread(id, card.ts).length, FOLLOW_UPS_EACH, 'both follow-ups in each thread');

    const failures = logged.map((line) => JSON.parse(line) as { level: number; job?: string; conversationId?: string; reason?: string });
    for (const id of ids) {
      assert.ok(failures.some((f) => f.level >= 50 && f.job === 'slack.post-conversation' && f.conversationId === id && /channel_not_found/.test(f.reason ?? '')), `the failed post of ${id} is logged`);
    }
    assert.ok(failures.some((f) => f.level >= 50 && /500|internal_error/.test(f.reason ?? '')), 'the 500s are logged');
  });
});
