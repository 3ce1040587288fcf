import assert from 'node:assert/strict';
import request from 'supertest';
import { ActivityModel } from '../../src/store/models/activity';
import { AuditRecordModel } from '../../src/store/models/audit-record';
import { ConversationModel } from '../../src/store/models/conversation';
import { DraftModel } from '../../src/store/models/draft';
import { PersonModel } from '../../src/store/models/person';
import { bearer } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { blockActionsPayload } from '../support/slack-requests';
import { agentReplies, customerMentions } from '../support/slack-scenes';
import { AGENT, CHANNELS, startSlackWorld, type SlackWorld } from '../support/slack-world';

const APPROVER = { id: 'U0APPROVE1', name: 'bert', displayName: 'Bert Boss' };
const STRANGER = { id: 'U0STRANGE1', name: 'sam', displayName: 'Sam Stranger' };

describe('reply policies: confirm and approval drafts, people and roles', () => {
  useTestDatabase();
  let w: SlackWorld;
  const start = async (policy: 'confirm' | 'approval') => {
    await clearCollections();
    w = await startSlackWorld({}, {}, undefined, {}, { support: policy });
    w.slackApi.addUser(APPROVER);
    w.slackApi.addUser(STRANGER);
  };
  afterEach(() => w.close());

  const press = (user: string, actionId: string, value: string, messageTs: string, triggerId?: string) =>
    w.postSigned(blockActionsPayload({ user, channel: CHANNELS.support, messageTs, actionId, value, triggerId, responseUrl: 'http://127.0.0.1:9/unused' }));
  const submit = (user: string, callbackId: string, draftId: string, block: string, value: string) =>
    w.postSigned({
      type: 'view_submission', team: { id: 'T0TEAM0001', domain: 'kestrel' }, user: { id: user, name: user.toLowerCase(), team_id: 'T0TEAM0001' }, api_app_id: 'A0APP00001', token: 'x',
      trigger_id: `1.2.${Date.now()}`,
      view: {
        id: `V${Date.now()}`, team_id: 'T0TEAM0001', type: 'modal', callback_id: callbackId, private_metadata: draftId, blocks: [], hash: '1',
        state: { values: { [block]: { value: { type: 'plain_text_input', value } } } },
      },
    });
  const activity = async () => {
    const rows = (await ActivityModel.find().sort({ createdAt: 1, _id: 1 }).lean()).map((a) => [String(a._id), a.type, a.actor]);
    const audited = await AuditRecordModel.find({ 'target.kind': 'conversation' }).lean();
    const byId = new Map(audited.map((r) => [String(r._id), [r.action, r.actor]]));
    assert.equal(audited.length, rows.length, 'one audit record per action on the conversation');
    for (const [id, type, actor] of rows) assert.deepEqual(byId.get(id!), [`conversation.${type}`, actor], 'the audit trail has the action with its actor');
    return rows.map(([, type, actor]) => [type, actor]);
  };

  it('confirm: a thread reply sends nothing until Send, then once however often Send is pressed', async () => {
    await start('confirm');
    const { card } = await customerMentions(w, 'my thermostat is broken');
    await agentReplies(w, card, CHANNELS.support, 'We are on it!');
    assert.deepEqual(w.jobs, [], 'nothing queued for delivery');
    const preview = w.slackApi.ephemerals.at(-1);
    assert.equal(preview?.user, AGENT.id);
    assert.match(JSON.stringify(preview?.blocks), /Nothing is sent until you press Send.*We are on it!.*13 of 280 characters on X.*sb_draft_send.*sb_draft_discard/);
    const draft = (await DraftModel.findOne().lean())!;
    assert.equal((await press(AGENT.id, 'sb_draft_send', String(draft._id), preview.message_ts)).status, 200);
    assert.equal((await press(AGENT.id, 'sb_draft_send', String(draft._id), 'other.ts')).status, 200);
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['We are on it!']);
    assert.deepEqual(await activity(), [['draft', `slack:${AGENT.id}`], ['draft-sent', `slack:${AGENT.id}`], ['replied', `slack:${AGENT.id}`]]);
  });

  it('approval: the author cannot approve, a second approver sends it once; each decision one Activity with its actor', async () => {
    await start('approval');
    const { card } = await customerMentions(w, 'my thermostat is broken');
    await agentReplies(w, card, CHANNELS.support, 'We will call you today.');
    assert.deepEqual(w.jobs, []);
    const draft = (await DraftModel.findOne().lean())!;
    const line = w.slackApi.thread(CHANNELS.support, card.ts).find((m) => JSON.stringify(m.blocks ?? []).includes('sb_draft_approve'));
    assert.ok(line, 'a thread line with the approval buttons');
    await press(AGENT.id, 'sb_draft_approve', String(draft._id), line.ts);
    assert.match(w.slackApi.ephemerals.at(-1)?.text ?? '', /cannot approve or reject your own reply/);
    assert.deepEqual(w.jobs, [], "the author's own approval sends nothing");
    await press(APPROVER.id, 'sb_draft_approve', String(draft._id), line.ts);
    await press(APPROVER.id, 'sb_draft_approve', String(draft._id), line.ts);
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['We will call you today.']);
    assert.match(JSON.stringify(w.slackApi.message(CHANNELS.support, line.ts)?.blocks), /approved by Bert Boss/);
    assert.deepEqual(await activity(), [
      ['draft', `slack:${AGENT.id}`], ['refused', `slack:${AGENT.id}`], ['draft-approved', `slack:${APPROVER.id}`], ['replied', `slack:${AGENT.id}`],
    ]);
  });

  it('approval: a rejection sends nothing and tells the author why; edit-and-approve sends the edited text', async () => {
    await start('approval');
    const { card } = await customerMentions(w, 'my thermostat is broken');
    await agentReplies(w, card, CHANNELS.support, 'lol no');
    const first = (await DraftModel.findOne().lean())!;
    await press(APPROVER.id, 'sb_draft_reject', String(first._id), card.ts, 'trigger-1');
    assert.equal(w.slackApi.views.at(-1)?.view.callback_id, 'sb_draft_reject_view');
    assert.equal((await submit(APPROVER.id, 'sb_draft_reject_view', String(first._id), 'sb_draft_reason', 'Too flippant')).status, 200);
    assert.deepEqual(w.jobs, []);
    const told = w.slackApi.ephemerals.find((e) => e.user === AGENT.id && /rejected it/.test(e.text ?? ''));
    assert.match(told?.text ?? '', /Bert Boss rejected it\. Reason: Too flippant/);

    await agentReplies(w, card, CHANNELS.support, 'Sorry, we fix it');
    const second = (await DraftModel.findOne({ state: 'pending' }).lean())!;
    await press(APPROVER.id, 'sb_draft_edit', String(second._id), card.ts, 'trigger-2');
    assert.equal((await submit(APPROVER.id, 'sb_draft_edit_view', String(second._id), 'sb_draft_text', 'Sorry, we will fix it today.')).status, 200);
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['Sorry, we will fix it today.']);
    const types = (await activity()).map((a) => a[0]);
    assert.deepEqual(types, ['draft', 'draft-rejected', 'draft', 'draft-approved', 'replied']);
  });

  it('once people exist, an unknown Slack user is refused (ephemeral, recorded) for buttons and thread replies', async () => {
    await start('approval');
    const { card, conversation } = await customerMentions(w, 'my thermostat is broken');
    await PersonModel.create({ slackUserId: AGENT.id, name: 'Anna', roles: ['agent'] });
    await press(STRANGER.id, 'sb_assign_me', String(conversation._id), card.ts);
    assert.equal((await ConversationModel.findById(conversation._id).lean())?.assignee?.name ?? null, null);
    assert.match(w.slackApi.ephemerals.at(-1)?.text ?? '', /not on Switchboard's list of people/);
    assert.equal(w.slackApi.ephemerals.at(-1)?.user, STRANGER.id);
    // an agent without the approver role may not approve
    await agentReplies(w, card, CHANNELS.support, 'Hello');
    const draft = (await DraftModel.findOne().lean())!;
    await PersonModel.create({ slackUserId: APPROVER.id, name: 'Bert', roles: ['agent'] });
    await press(APPROVER.id, 'sb_draft_approve', String(draft._id), card.ts);
    assert.match(w.slackApi.ephemerals.at(-1)?.text ?? '', /your role in Switchboard does not allow it/);
    assert.deepEqual(w.jobs, []);
    assert.deepEqual((await activity()).filter((a) => a[0] === 'refused'), [['refused', `slack:${STRANGER.id}`], ['refused', `slack:${APPROVER.id}`]]);
  });

  it('the API: a reply in an approval department is held; its author token cannot approve, a manager token approves it once', async () => {
    await start('approval');
    const { conversation } = await customerMentions(w, 'my thermostat is broken');
    const id = String(conversation._id);
    const manager = await bearer('manager');
    const held = await request(w.app).post(`/api/conversations/${id}/replies`).set('Authorization', manager).send({ text: 'Through the API' }).expect(202);
    const draftId = held.body.draft.id as string;
    assert.equal(held.body.draft.state, 'pending');
    assert.deepEqual(w.jobs, []);
    const own = await request(w.app).post(`/api/conversations/${id}/drafts/${draftId}/approve`).set('Authorization', manager).send({}).expect(403);
    assert.match(own.body.error.message, /cannot approve/);
    await request(w.app).post(`/api/conversations/${id}/drafts/${draftId}/approve`).set('Authorization', await bearer('agent')).send({}).expect(403);
    const admin = await bearer('admin');
    const ok = await request(w.app).post(`/api/conversations/${id}/drafts/${draftId}/approve`).set('Authorization', admin).send({ text: 'Through the API, edited' }).expect(200);
    assert.equal(ok.body.data.state, 'sent');
    await request(w.app).post(`/api/conversations/${id}/drafts/${draftId}/approve`).set('Authorization', admin).send({}).expect(409);
    await request(w.app).post(`/api/conversations/${id}/drafts/${draftId}/reject`).set('Authorization', admin).send({ reason: 'late' }).expect(409);
    assert.deepEqual((await w.runJobs()).map((o) => o.state), ['sent']);
    assert.deepEqual(w.x.fake.createdPosts.map((p) => p.text), ['Through the API, edited']);
    const decided = (await activity()).filter((a) => String(a[0]).startsWith('draft-'));
    assert.deepEqual(decided, [['draft-approved', 'token:test-admin']]);
  });
});
