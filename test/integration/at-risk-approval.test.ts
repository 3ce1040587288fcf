import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { createLogger } from '../../src/runtime/logger';
import { SlaClock } from '../../src/sla/clock';
import { bearer, clockedPipeline, seedDepartments } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);

type Item = { id: string; target: string; awaitingApproval?: boolean };
type Watch = { atRisk: { items: Item[] }; breached: { items: Item[] } };

describe('at-risk list: a reply awaiting approval keeps the clock running and is marked', () => {
  useTestDatabase();
  const policyOf = (key: string) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla;
  const clock = new SlaClock(policyOf, 0.8);
  const app = () =>
    createApp({
      logger: createLogger('silent'), pipeline: clockedPipeline(clock), ingest: { maxBytes: 64 * 1024, maxBatch: 50 }, events: clock, sla: { policyOf },
      replyPolicyOf: (key) => (key === 'support' ? 'approval' : 'direct'),
    });
  beforeEach(async () => {
    await clearCollections();
    await seedDepartments();
  });

  it('marks only the conversation whose reply waits for an approver; a rejected or approved one is no longer marked', async () => {
    const a = app();
    const ingest = await bearer('ingest');
    const agent = await bearer('agent');
    const manager = await bearer('manager');
    const send = async (key: string, minutesAgo: number) => {
      const body = { source: 'shop', externalId: key, threadKey: key, author: { handle: `@${key}` }, text: `my thermostat is broken (${key})`, createdAt: ago(minutesAgo).toISOString() };
      const res = await request(a).post('/api/ingest').set('Authorization', ingest).send(body).expect(200);
      return res.body.results[0].conversationId as string;
    };
    // support answers first within 60 minutes: both are past the 80 % warning, neither breached
    const held = await send('held', 52);
    const plain = await send('plain', 54);
    const late = await send('late', 75);
    const hold = async (id: string, text: string) => (await request(a).post(`/api/conversations/${id}/replies`).set('Authorization', agent).send({ text }).expect(202)).body.draft.id as string;
    const draftId = await hold(held, 'We are on it.');
    const lateDraft = await hold(late, 'Sorry for the wait.');

    const watch = async () => (await request(a).get('/api/conversations/at-risk').set('Authorization', agent).expect(200)).body.data as Watch;
    const marks = (items: Item[]) => items.map((i) => [i.id, i.target, i.awaitingApproval ?? false]);
    let w = await watch();
    assert.deepEqual(marks(w.atRisk.items), [[plain, 'firstResponse', false], [held, 'firstResponse', true]], 'the held reply stopped no clock');
    assert.deepEqual(marks(w.breached.items), [[late, 'firstResponse', true]]);

    await request(a).post(`/api/conversations/${late}/drafts/${lateDraft}/reject`).set('Authorization', manager).send({ reason: 'name the technician' }).expect(200);
    w = await watch();
    assert.deepEqual(marks(w.breached.items), [[late, 'firstResponse', false]], 'rejected: nothing waits for an approver, still unanswered');

    await request(a).post(`/api/conversations/${held}/drafts/${draftId}/approve`).set('Authorization', manager).send({}).expect(200);
    w = await watch();
    // approved: queued but not yet delivered, so the clock still runs; it no longer waits for an approver
    assert.deepEqual(marks(w.atRisk.items), [[plain, 'firstResponse', false], [held, 'firstResponse', false]]);
  });
});
