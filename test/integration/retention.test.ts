import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { changeStatus } from '../../src/actions/conversation';
import { createApp } from '../../src/api/app';
import { ConfigError } from '../../src/config';
import { loadDepartments } from '../../src/config/departments';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestBatch } from '../../src/ingest/pipeline';
import { runRetention } from '../../src/retention/plan';
import { createLogger } from '../../src/runtime/logger';
import { ActivityModel } from '../../src/store/models/activity';
import { AuditRecordModel } from '../../src/store/models/audit-record';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { RoutingEventModel } from '../../src/store/models/routing-event';
import { SlackThreadModel } from '../../src/store/models/slack-thread';
import { syncDepartments } from '../../src/store/repositories/departments';
import { bearer, testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';

const DAY = 86_400_000;
const deps = { outbox: { replyQueued: () => Promise.resolve(), agentMessageWritten: () => Promise.resolve() } };
const actor = { id: 'token:tester', name: 'tester' };

describe('Retention: resolved conversations past their department\'s days are deleted, exactly as the dry run listed (FerretDB)', () => {
  useTestDatabase();
  beforeEach(clearCollections);

  /** A conversation routed to `department` by its text, resolved `resolvedDaysAgo` days ago (or left open). */
  async function conversation(text: string, resolvedDaysAgo?: number) {
    const [result] = await ingestBatch([inbound({ text, createdAt: new Date(Date.now() - 400 * DAY) })], { router: testRouter() });
    const id = result!.conversationId;
    if (resolvedDaysAgo !== undefined) await changeStatus(id, 'resolved', actor, deps, new Date(Date.now() - resolvedDaysAgo * DAY));
    await SlackThreadModel.create({ _id: `C0:${id}`, conversationId: id });
    return id;
  }

  it('the dry run lists per department; the run deletes those with their records, and open or recent ones survive', async () => {
    // support keeps 30 days; the others take RETENTION_DAYS (45 here)
    await syncDepartments(DEFAULT_DEPARTMENTS.map((d) => (d.key === 'support' ? { ...d, retentionDays: 30 } : { ...d })));
    const oldSupport = await conversation('my thermostat is broken', 60);
    const recentSupport = await conversation('my thermostat is broken again', 5);
    const openSupport = await conversation('my thermostat is still broken');
    const oldSales = await conversation('what is the price of a thermostat', 50);
    const keptSales = await conversation('the price of a thermostat please', 40);
    const depts = async (id: string) => (await ConversationModel.findById(id, { department: 1 }).lean())?.department;
    assert.deepEqual(await Promise.all([oldSupport, oldSales].map(depts)), ['support', 'sales']);

    const app = createApp({ logger: createLogger('silent'), pipeline: { router: testRouter() }, ingest: { maxBytes: 65536, maxBatch: 50 }, retention: { defaultDays: 45 } });
    await request(app).post('/api/retention/dry-run').set('Authorization', await bearer('manager')).expect(403);
    const dry = await request(app).post('/api/retention/dry-run').set('Authorization', await bearer('admin')).expect(200);
    const listed = Object.fromEntries(dry.body.data.departments.map((g: { department: string | null; ids: string[] }) => [g.department ?? '(default)', g.ids]));
    assert.deepEqual(listed.support, [oldSupport]);
    assert.deepEqual(listed.sales, [oldSales]);
    assert.equal(dry.body.data.total, 2);
    assert.equal(await ConversationModel.countDocuments(), 5, 'a dry run deletes nothing');

    const ran = await runRetention(45, 'cli:tester');
    assert.deepEqual(ran.groups.flatMap((g) => g.ids).sort(), [oldSupport, oldSales].sort());
    assert.deepEqual(ran.deleted, { conversations: 2, messages: 2, activities: 2, routingEvents: 2, slackThreads: 2, slaAlerts: 0, pendingSlackReplies: 0 });
    const left = (await ConversationModel.find({}, { _id: 1 }).lean()).map((c) => String(c._id)).sort();
    assert.deepEqual(left, [recentSupport, openSupport, keptSales].sort());
    for (const model of [MessageModel, ActivityModel, RoutingEventModel, SlackThreadModel] as const) {
      assert.equal(await (model as typeof MessageModel).countDocuments({ conversationId: { $in: [oldSupport, oldSales] } }), 0, model.modelName);
    }
    const record = await AuditRecordModel.findOne({ action: 'retention.ran' }).lean();
    assert.equal(record?.actor, 'cli:tester');
    assert.equal(record?.surface, 'cli');
    assert.deepEqual((record?.details as { perDepartment: Record<string, number> }).perDepartment.support, 1);
    assert.equal((await runRetention(45)).total, 0, 'a second run finds nothing');
  });

  it('a customer message that comes during the run reopens its conversation, and it stays with that message and its thread', async () => {
    await syncDepartments(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })));
    const id = await conversation('my thermostat is broken', 60);
    const threadKey = (await ConversationModel.findById(id, { threadKey: 1 }).lean())!.threadKey;
    const deleteMany = MessageModel.deleteMany.bind(MessageModel);
    let wrote = false;
    // the customer writes again after the run read the conversation as resolved, before it deletes anything
    (MessageModel as unknown as { deleteMany: unknown }).deleteMany = async (...args: Parameters<typeof deleteMany>) => {
      if (!wrote) {
        wrote = true;
        await ingestBatch([inbound({ threadKey, text: 'it is broken AGAIN, please help' })], { router: testRouter() });
      }
      return deleteMany(...args);
    };
    let ran;
    try {
      ran = await runRetention(45);
    } finally {
      (MessageModel as unknown as { deleteMany: unknown }).deleteMany = deleteMany;
    }
    assert.ok(wrote, 'the message came during the run');
    assert.equal(ran.deleted.conversations, 0);
    const kept = await ConversationModel.findById(id).lean();
    assert.equal(kept?.status, 'open', 'reopened by the message');
    assert.deepEqual((await MessageModel.find({ conversationId: id }).lean()).map((m) => m.text), ['it is broken AGAIN, please help']);
    assert.equal(await SlackThreadModel.countDocuments({ conversationId: id }), 1, 'its card thread still leads to it');
  });

  it('without RETENTION_DAYS or a department setting nothing is planned', async () => {
    await syncDepartments(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })));
    await conversation('my thermostat is broken', 3000);
    assert.equal((await runRetention(undefined)).total, 0);
  });

  it('a departments file with a bad retentionDays names the field at start', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-ret-')), 'departments.json');
    fs.writeFileSync(file, JSON.stringify([{ key: 'support', name: 'Support', retentionDays: 0.5, sla: { firstResponseMinutes: 60, resolutionMinutes: 600 } }]));
    assert.throws(() => loadDepartments(file), (err: unknown) => err instanceof ConfigError && /\[0\.retentionDays\]: whole days/.test(err.message));
  });
});
