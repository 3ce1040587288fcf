import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { webApi } from '@slack/bolt';
import type { Agenda } from 'agenda';
import mongoose from 'mongoose';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestBatch } from '../../src/ingest/pipeline';
import { createAgenda } from '../../src/jobs/agenda';
import { logJobFailures } from '../../src/jobs/failures';
import { agendaOutbox, defineOutboxJobs, JOBS } from '../../src/jobs/outbox';
import { createLogger } from '../../src/runtime/logger';
import { DepartmentDirectory } from '../../src/slack/directory';
import { SlackNotifier } from '../../src/slack/notify';
import { MessageModel } from '../../src/store/models/message';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api';
import { testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';

type Line = Record<string, unknown>;

describe('jobs: every failure is logged with its job, what it was about and why', () => {
  useTestDatabase();
  let slackApi: FakeSlackApi;
  let agenda: Agenda;
  let lines: Line[];

  beforeEach(async () => {
    await clearCollections();
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as Line));
        done();
      },
    });
    const logger = createLogger('info', sink);
    slackApi = await startFakeSlackApi();
    // the support channel exists; the bot was never invited to sales
    slackApi.addChannel('C0SUPPORT', 'support');
    slackApi.addChannel('C0SALES', 'sales', { isMember: false });
    const client = new webApi.WebClient(slackApi.identity.token, { slackApiUrl: slackApi.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
    const directory = new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })), { support: 'C0SUPPORT', sales: 'C0SALES' });
    agenda = await createAgenda(mongoose.connection.db!, 50);
    logJobFailures(agenda, logger);
    defineOutboxJobs(agenda, {
      notifier: new SlackNotifier(client, directory),
      delivery: { connectorFor: () => undefined, maxAttempts: 1, retryBaseMs: 1000, owner: 'test' },
      logger,
    });
    await agenda.start();
  });
  afterEach(async () => {
    await agenda.stop();
    await agenda.cancel({ name: JOBS.postConversation });
    await slackApi.close();
  });

  async function logged(predicate: (l: Line) => boolean): Promise<Line> {
    for (let i = 0; i < 200; i++) {
      const line = lines.find(predicate);
      if (line) return line;
      await sleep(50);
    }
    assert.fail(`no such log line in: ${JSON.stringify(lines)}`);
  }

  it('a card post Slack refuses (not_in_channel): job name, conversation id and Slack\'s reason', async () => {
    const outbox = agendaOutbox(agenda, true);
    const [result] = await ingestBatch([inbound({ text: 'what is the price of the premium plan?' })], {
      router: testRouter(),
      onNewConversation: ({ conversationId }) => outbox.conversationRouted(String(conversationId)),
    });
    const line = await logged((l) => l.job === JOBS.postConversation);
    assert.equal(line.level, 50, 'logged as an error');
    assert.equal(line.conversationId, result?.conversationId);
    assert.match(String(line.reason), /not_in_channel/);
    assert.match(String(line.msg), /slack\.post-conversation failed: .*not_in_channel/);
  });

  it('a reply that cannot be delivered is logged with its message id and reason', async () => {
    const outbox = agendaOutbox(agenda, false);
    const [result] = await ingestBatch([inbound({ text: 'my thermostat is broken' })], { router: testRouter() });
    const reply = await MessageModel.create({
      channel: 'webhook', account: 'test-source', externalId: 'slack:C0SUPPORT:1.1', conversationId: result!.conversationId,
      direction: 'outbound', kind: 'mention', text: 'on it', sentAt: new Date(), delivery: { state: 'queued', attempts: 0 },
    });
    await outbox.replyQueued(String(reply._id));
    const line = await logged((l) => l.job === JOBS.deliver);
    assert.equal(line.messageId, String(reply._id));
    assert.match(String(line.reason), /nothing can send to the webhook account "test-source"/);
  });
});
