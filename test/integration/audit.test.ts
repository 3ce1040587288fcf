import assert from 'node:assert/strict';
import request from 'supertest';
import { createTokenAudited } from '../../src/audit/admin';
import { ActivityModel } from '../../src/store/models/activity';
import { ACTIONS } from '../../src/slack/blocks';
import { bearer, seedDepartments } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { blockActionsPayload } from '../support/slack-requests';
import { agentReplies, customerMentions } from '../support/slack-scenes';
import { AGENT, startSlackWorld, type SlackWorld } from '../support/slack-world';

type Row = { id: string; actor: string; surface: string; action: string; target: { kind: string; id: string }; before: Record<string, unknown> | null; after: Record<string, unknown> | null };

describe('Audit trail: every action once in /api/audit, with who and where (FerretDB, fake Slack)', () => {
  useTestDatabase();
  let w: SlackWorld;
  let admin: string;
  let conversationId: string;
  let tokenId: string;

  before(async () => {
    await clearCollections();
    await seedDepartments();
    w = await startSlackWorld();
    admin = await bearer('admin');
    const agent = await bearer('agent');
    const { conversation, card } = await customerMentions(w, 'my thermostat is broken', 'audit_ann');
    conversationId = String(conversation._id);
    const channel = conversation.slack!.channel!;
    const click = (actionId: string) => w.postSigned(blockActionsPayload({ user: AGENT.id, channel, messageTs: card.ts, actionId, value: conversationId, responseUrl: 'http://127.0.0.1:9/unused' }));
    assert.equal((await click(ACTIONS.assign)).status, 200);
    await agentReplies(w, card, channel, 'we are on it');
    await request(w.app).post(`/api/conversations/${conversationId}/notes`).set('Authorization', agent).send({ text: 'checked the logs' }).expect(201);
    await request(w.app).patch(`/api/conversations/${conversationId}`).set('Authorization', agent).set('X-Switchboard-Client', 'inbox').send({ status: 'waiting' }).expect(200);
    await request(w.app).patch(`/api/conversations/${conversationId}`).set('Authorization', agent).send({ department: 'sales', reason: 'asks for a price' }).expect(200);
    await w.runJobs();
    const moved = w.slackApi.messages('C0SALES')[0]!;
    const blocked = await w.postSigned(blockActionsPayload({ user: AGENT.id, channel: 'C0SALES', messageTs: moved.ts, actionId: ACTIONS.block, value: conversationId, responseUrl: 'http://127.0.0.1:9/unused' }));
    assert.equal(blocked.status, 200);
    await w.runJobs();
    tokenId = (await createTokenAudited('agent', 'robot', undefined, 'cli:tester')).id;
    await request(w.app).post(`/api/tokens/${tokenId}/revoke`).set('Authorization', admin).expect(200);
    await request(w.app).post(`/api/tokens/${tokenId}/revoke`).set('Authorization', admin).expect(200);
  });
  after(() => w.close());

  const audit = async (query: Record<string, string>) => (await request(w.app).get('/api/audit').query(query).set('Authorization', admin).expect(200)).body as { data: Row[]; next: string | null };

  it("lists each action on the conversation once, newest first, with its actor, surface and the fields it changed; the Activity matches", async () => {
    const { data } = await audit({ conversation: conversationId });
    const seen = data.map((r) => [r.action, r.actor, r.surface]).reverse();
    assert.deepEqual(seen, [
      ['conversation.assigned', `slack:${AGENT.id}`, 'slack'],
      ['conversation.replied', `slack:${AGENT.id}`, 'slack'],
      ['conversation.note', 'token:test-agent', 'api'],
      ['conversation.waiting', 'token:test-agent', 'inbox'],
      ['conversation.reassigned', 'token:test-agent', 'api'],
      ['conversation.blocked', `slack:${AGENT.id}`, 'slack'],
    ]);
    const reassigned = data.find((r) => r.action === 'conversation.reassigned')!;
    assert.deepEqual([reassigned.before, reassigned.after], [{ department: 'support' }, { department: 'sales' }]);
    const waiting = data.find((r) => r.action === 'conversation.waiting')!;
    assert.deepEqual([waiting.before, waiting.after], [{ status: 'open' }, { status: 'waiting' }]);
    assert.equal(await ActivityModel.countDocuments({ conversationId }), data.length, 'one Activity per audit record');
  });

  it('records administrative changes: the block, the token created on the command line and revoked once through the API', async () => {
    const sender = await audit({ action: 'sender.blocked' });
    assert.deepEqual(sender.data.map((r) => [r.actor, r.surface, r.target.kind]), [[`slack:${AGENT.id}`, 'slack', 'sender']]);
    assert.doesNotMatch(JSON.stringify(sender.data), /audit_ann/i, 'the trail names the list entry, not the handle');
    const tokens = await audit({ target: tokenId });
    assert.deepEqual(tokens.data.map((r) => [r.action, r.actor, r.surface]), [['token.revoked', 'token:test-admin', 'api'], ['token.created', 'cli:tester', 'cli']]);
    assert.deepEqual(tokens.data[1]!.after, { role: 'agent', name: 'robot' });
  });

  it('filters by actor, surface and time, and pages by cursor without gaps or repeats', async () => {
    const all = (await audit({ limit: '500' })).data;
    const bySlack = (await audit({ surface: 'slack' })).data;
    assert.deepEqual(bySlack.map((r) => r.id), all.filter((r) => r.surface === 'slack').map((r) => r.id));
    const byActor = (await audit({ actor: 'token:test-agent' })).data;
    assert.equal(byActor.length, 3);
    assert.deepEqual((await audit({ to: '2020-01-01' })).data, []);
    const paged: string[] = [];
    let next: string | null = '';
    while (next !== null) {
      const page = await audit({ limit: '2', ...(next ? { cursor: next } : {}) });
      assert.ok(page.data.length <= 2);
      paged.push(...page.data.map((r) => r.id));
      next = page.next;
    }
    assert.deepEqual(paged, all.map((r) => r.id));
  });

  it('exports the same filter as CSV, one row per record', async () => {
    const json = (await audit({ conversation: conversationId })).data;
    const csv = await request(w.app).get('/api/audit.csv').query({ conversation: conversationId }).set('Authorization', admin).expect(200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'at,actor,surface,action,target_kind,target_id,before,after,details');
    assert.deepEqual(lines.slice(1).map((l) => l.split(',')[3]), json.map((r) => r.action));
    const same = await request(w.app).get('/api/audit').query({ conversation: conversationId, format: 'csv' }).set('Authorization', admin).expect(200);
    assert.equal(same.text, csv.text);
  });

  it("refuses tokens that are not admin (403) and says what is wrong with a query (400); agents read a conversation's history", async () => {
    const agent = await bearer('agent');
    const refused = await request(w.app).get('/api/audit').set('Authorization', agent).expect(403);
    assert.match(refused.body.error.message, /role admin/);
    await request(w.app).get('/api/audit.csv').set('Authorization', await bearer('manager')).expect(403);
    const bad = async (query: Record<string, string>, field: string) => {
      const res = await request(w.app).get('/api/audit').query(query).set('Authorization', admin).expect(400);
      assert.ok(res.body.error.details.some((d: { field: string }) => d.field === field), `${JSON.stringify(res.body.error)} names ${field}`);
    };
    await bad({ surface: 'fax' }, 'surface');
    await bad({ cursor: 'nonsense' }, 'cursor');
    await bad({ from: '2026-12-02', to: '2026-12-01' }, 'to');
    await bad({ conversation: 'abc' }, 'conversation');
    await bad({ limit: '0' }, 'limit');
    await bad({ colour: 'red' }, '(body)');
    const history = await request(w.app).get(`/api/conversations/${conversationId}/history`).set('Authorization', agent).expect(200);
    assert.deepEqual(history.body.data.map((r: Row) => r.action)[0], 'conversation.assigned', 'oldest first');
  });
});
