import assert from 'node:assert/strict';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { createLogger } from '../../src/runtime/logger';
import { SlaClock } from '../../src/sla/clock';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, seedDepartments, clockedPipeline } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';

const MINUTE = 60_000;
const ago = (minutes: number) => new Date(Date.now() - minutes * MINUTE);

type Item = { id: string; target: string; dueAt: string; elapsedShare: number; department: string; preview: string; url?: string };
type Watch = { atRisk: { total: number; items: Item[] }; breached: { total: number; items: Item[] } };

describe('at-risk and breached lists (GET /api/conversations/at-risk)', () => {
  useTestDatabase();
  const policyOf = (key: string) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla;
  const clock = new SlaClock(policyOf, 0.8);
  let app: Express;
  let agent: string;
  const ids: Record<string, string> = {};

  before(async () => {
    await clearCollections();
    await seedDepartments();
    app = createApp({
      logger: createLogger('silent'),
      pipeline: clockedPipeline(clock),
      ingest: { maxBytes: 64 * 1024, maxBatch: 50 },
      events: clock,
      sla: { policyOf },
    });
    agent = await bearer('agent');
    const ingest = await bearer('ingest');
    const send = async (key: string, minutesAgo: number, threadKey = key) => {
      const body = { source: 'shop', externalId: key, threadKey, author: { handle: `@${key}` }, text: `my thermostat is broken (${key})`, createdAt: ago(minutesAgo).toISOString(), url: `https://shop.example/posts/${key}` };
      const res = await request(app).post('/api/ingest').set('Authorization', ingest).send(body).expect(200);
      if (threadKey === key) assert.equal(res.body.results[0].department, 'support');
      return (ids[threadKey] = res.body.results[0].conversationId as string);
    };
    // support answers first within 60 minutes and resolves within 1,440, round the clock; warnings at 80 %
    await send('due-in-8', 52); // first response 87 % used
    await send('due-in-4', 56);
    await send('due-in-11', 49);
    await send('fresh', 30); // 50 % used: not at risk
    await send('late-10', 70); // first response breached
    await send('late-30', 90);
    await send('done', 55);
    await request(app).patch(`/api/conversations/${ids.done}`).set('Authorization', agent).send({ status: 'resolved' }).expect(200);
    // answered long ago, resolution 83 % used, and a customer message 100 min ago: two targets at risk, one row
    await send('both', 1200);
    await clock.agentReplied(ids.both!, ago(1190));
    await send('both-followup', 100, 'both');
  });

  it('lists running targets not yet breached, one row per conversation (its nearest), soonest due first, with the total', async () => {
    const all = (await request(app).get('/api/conversations/at-risk').set('Authorization', agent).expect(200)).body.data as Watch;
    assert.deepEqual(
      all.atRisk.items.map((i) => [i.id, i.target]),
      [[ids['due-in-4'], 'firstResponse'], [ids['due-in-8'], 'firstResponse'], [ids['due-in-11'], 'firstResponse'], [ids.both, 'nextResponse']],
    );
    assert.equal(all.atRisk.total, 4);
    for (const item of all.atRisk.items) assert.ok(item.elapsedShare >= 0.8 && item.elapsedShare < 1, `${item.target} ${item.elapsedShare}`);
    const first = all.atRisk.items[0]!;
    assert.equal(first.preview, 'my thermostat is broken (due-in-4)');
    assert.equal(first.url, 'https://shop.example/posts/due-in-4', 'a link to open it');
    assert.ok(Math.abs(new Date(first.dueAt).getTime() - (Date.now() + 4 * MINUTE)) < MINUTE);

    assert.deepEqual(all.breached.items.map((i) => [i.id, i.target]), [[ids['late-30'], 'firstResponse'], [ids['late-10'], 'firstResponse']]);
    assert.equal(all.breached.total, 2);
  });

  it('cuts each list to the limit and still counts all of it', async () => {
    const cut = (await request(app).get('/api/conversations/at-risk?limit=1').set('Authorization', agent).expect(200)).body.data as Watch;
    assert.deepEqual([cut.atRisk.total, cut.atRisk.items.map((i) => i.id)], [4, [ids['due-in-4']]]);
    assert.deepEqual([cut.breached.total, cut.breached.items.map((i) => i.id)], [2, [ids['late-30']]]);
  });

  it('drops a conversation once it is answered or resolved', async () => {
    await clock.agentReplied(ids['due-in-4']!, new Date());
    await request(app).patch(`/api/conversations/${ids['late-30']}`).set('Authorization', agent).send({ status: 'resolved' }).expect(200);
    const after = (await request(app).get('/api/conversations/at-risk').set('Authorization', agent).expect(200)).body.data as Watch;
    assert.deepEqual(after.atRisk.items.map((i) => i.id), [ids['due-in-8'], ids['due-in-11'], ids.both]);
    assert.deepEqual(after.breached.items.map((i) => i.id), [ids['late-10']]);
    const stored = await ConversationModel.findById(ids['late-30']).lean();
    assert.deepEqual(stored?.sla?.running, [], 'a resolved conversation has no running target');
  });

  it('refuses a bad limit or an unknown parameter with 400 naming it', async () => {
    for (const [query, field] of [['limit=0', 'limit'], ['limit=abc', 'limit'], ['limit[$gt]=1', ''], ['sort=due', '']] as const) {
      const res = await request(app).get(`/api/conversations/at-risk?${query}`).set('Authorization', agent).expect(400);
      assert.equal(res.body.error.code, 'validation_failed', query);
      if (field) assert.ok(res.body.error.details.some((d: { field: string }) => d.field === field), `${query}: ${JSON.stringify(res.body.error.details)}`);
    }
  });
});
