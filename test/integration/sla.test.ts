import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestBatch } from '../../src/ingest/pipeline';
import { createLogger } from '../../src/runtime/logger';
import { raiseDueAlerts } from '../../src/sla/alerts';
import { DepartmentDirectory } from '../../src/slack/directory';
import { slackAlertSink } from '../../src/slack/sla-alerts';
import { ConversationModel } from '../../src/store/models/conversation';
import { SlaAlertModel } from '../../src/store/models/sla-alert';
import { bearer, seedDepartments } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { CHANNELS, startSlackWorld, TRIAGE_CHANNEL, type SlackWorld } from '../support/slack-world';
import { withoutJoiners } from '../support/mrkdwn';

const MINUTE = 60_000;

describe('SLA clocks, alerts and figures (FerretDB, fake Slack)', () => {
  useTestDatabase();
  let w: SlackWorld;
  const directory = new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })), CHANNELS, TRIAGE_CHANNEL);
  const policyOf = (key: string) => directory.get(key)?.sla;
  beforeEach(async () => {
    await clearCollections();
    await seedDepartments();
    w = await startSlackWorld();
  });
  afterEach(() => w.close());

  async function supportConversation() {
    const customer = w.x.fake.addUser('lena_b', 'Lena');
    w.x.fake.addMention({ from: customer, text: '@kestrelhome my thermostat is broken' });
    const [result] = await ingestBatch((await w.x.connector.pull(null)).messages, w.pipeline);
    await w.runJobs();
    return (await ConversationModel.findById(result?.conversationId).lean())!;
  }

  it('warns in the thread near the due time and alerts the department and managers on breach, each once', async () => {
    const conversation = await supportConversation();
    const due = conversation.sla!.firstResponseDueAt!;
    assert.equal(due.getTime() - conversation.firstMessageAt.getTime(), 60 * MINUTE, 'support answers within 60 minutes, round the clock');
    const sink = slackAlertSink(w.slack.notifier, directory, 'C0MANAGERS');
    w.slackApi.addChannel('C0MANAGERS', 'managers');
    const check = (minutes: number) => raiseDueAlerts(new Date(conversation.firstMessageAt.getTime() + minutes * MINUTE), sink, policyOf);

    assert.deepEqual(await check(30), { warnings: 0, breaches: 0 });
    assert.deepEqual(await check(50), { warnings: 1, breaches: 0 });
    assert.deepEqual(await check(55), { warnings: 0, breaches: 0 }, 'a warning is raised once');
    const thread = w.slackApi.thread(CHANNELS.support, conversation.slack!.ts!);
    assert.match(JSON.stringify(thread), /First response due .*: 83% of the time is used/);

    assert.deepEqual(await check(61), { warnings: 0, breaches: 1 });
    assert.deepEqual(await check(90), { warnings: 0, breaches: 0 }, 'a breach is raised once');
    for (const channel of [CHANNELS.support, 'C0MANAGERS']) {
      const alerts = w.slackApi.messages(channel).filter((m) => /SLA breached/.test(m.text ?? ''));
      assert.equal(alerts.length, 1, channel);
      assert.match(withoutJoiners(alerts[0]?.text ?? ''), /first response for @lena_b/);
    }
    assert.deepEqual((await SlaAlertModel.find().sort({ createdAt: 1 }).lean()).map((a) => [a.kind, a.target, Boolean(a.postedAt)]), [['warning', 'firstResponse', true], ['breach', 'firstResponse', true]]);
  });

  it('pauses resolution while waiting on the customer and restarts the clocks on reassignment (API)', async () => {
    const conversation = await supportConversation();
    const id = String(conversation._id);
    const app = createApp({ logger: createLogger('silent'), pipeline: w.pipeline, ingest: { maxBytes: 1024, maxBatch: 1 }, events: w.clock, sla: { policyOf } });
    const agent = await bearer('agent');
    await request(app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ status: 'waiting' }).expect(200);
    const waiting = (await ConversationModel.findById(id).lean())!.sla!;
    assert.ok(waiting.waitingSince, 'resolution clock paused');
    await request(app).patch(`/api/conversations/${id}`).set('Authorization', agent).send({ department: 'sales' }).expect(200);
    const moved = (await ConversationModel.findById(id).lean())!.sla!;
    assert.equal(moved.department, 'sales');
    assert.ok(moved.startedAt > conversation.sla!.startedAt, 'the new policy starts at the reassignment');
    assert.ok(moved.firstResponseDueAt! > conversation.sla!.firstResponseDueAt!, 'sales answers in office hours: later');
  });

  it('serves the figures as JSON and CSV to managers from the first request, 400 for a bad query', async () => {
    await supportConversation();
    const app = createApp({ logger: createLogger('silent'), pipeline: w.pipeline, ingest: { maxBytes: 1024, maxBatch: 1 }, sla: { policyOf } });
    const manager = await bearer('manager');
    const json = await request(app).get('/api/reports/sla?groupBy=department').set('Authorization', manager).expect(200);
    assert.deepEqual(json.body.data.groups.map((g: { key: string; volume: number; backlog: number }) => [g.key, g.volume, g.backlog]), [['support', 1, 1]]);
    const csv = await request(app).get('/api/reports/sla.csv').set('Authorization', manager).expect(200);
    assert.match(csv.headers['content-type'] ?? '', /text\/csv/);
    assert.match(csv.headers['content-disposition'] ?? '', /attachment; filename="?sla-department-/);
    assert.match(csv.text, /^department,volume,backlog,.*\r\nsupport,1,1,/);
    const bad = await request(app).get('/api/reports/sla?groupBy=planet&from=yesterday').set('Authorization', manager).expect(400);
    assert.deepEqual(bad.body.error.details.map((x: { field: string }) => x.field).sort(), ['from', 'groupBy']);
    await request(app).get('/api/reports/sla').set('Authorization', await bearer('agent')).expect(403);
    const risk = await request(app).get('/api/conversations/at-risk').set('Authorization', await bearer('agent')).expect(200);
    assert.deepEqual(risk.body.data, { atRisk: { total: 0, items: [] }, breached: { total: 0, items: [] } }, 'nothing is near its due time yet');
  });
});
