import assert from 'node:assert/strict';
import request from 'supertest';
import type { Author } from '../../src/domain/message';
import { ingestBatch } from '../../src/ingest/pipeline';
import { ActivityModel } from '../../src/store/models/activity';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { SlackInteractionModel } from '../../src/store/models/slack-interaction';
import { clearCollections, useTestDatabase } from '../support/database';
import { renderMrkdwn } from '../support/mrkdwn';
import { blockActionsPayload, eventCallback, formBody, messageEvent, signSlackRequest } from '../support/slack-requests';
import { AGENT, CHANNELS, SIGNING_SECRET, startSlackWorld, type SlackWorld } from '../support/slack-world';

type Block = { type: string; text?: { type: string; text: string }; elements?: Array<{ type: string; text: string }> };

/** Every mrkdwn field of a posted message (its notification text too), as a Slack client would show it. */
function shownMrkdwn(message: { text?: string; blocks?: unknown[] }) {
  const fields = (message.blocks as Block[]).flatMap((b) => [b.text, ...(b.elements ?? [])]).filter((t) => t?.type === 'mrkdwn');
  return [message.text ?? '', ...fields.map((t) => t!.text)].map(renderMrkdwn);
}

const plainText = (message: { blocks?: unknown[] }) => (message.blocks as Block[]).find((b) => b.text?.type === 'plain_text')?.text?.text;

describe('Slack safety: signed requests, repeated clicks, bad payloads, customer text as written', () => {
  useTestDatabase();
  let w: SlackWorld;
  let seq = 0;
  beforeEach(async () => {
    await clearCollections();
    w = await startSlackWorld();
  });
  afterEach(() => w.close());

  /** A webhook message from `author`, routed and carded; later ones in the same thread become follow-ups. */
  async function customerWrites(author: Author, text = 'my thermostat is broken', extra: { url?: string; threadKey?: string } = {}) {
    const externalId = `m${++seq}`;
    const [result] = await ingestBatch(
      [{ channel: 'webhook', account: 'shop', externalId, threadKey: extra.threadKey ?? externalId, kind: 'mention', author, text, createdAt: new Date(), url: extra.url }],
      w.pipeline,
    );
    await w.runJobs();
    const conversation = (await ConversationModel.findById(result?.conversationId).lean())!;
    const channel = conversation.slack?.channel ?? '';
    return { conversation, channel, card: w.slackApi.message(channel, conversation.slack?.ts ?? '')! };
  }

  const click = (conversationId: string, cardTs: string, actionId = 'sb_assign_me') =>
    blockActionsPayload({ user: AGENT.id, channel: CHANNELS.support, messageTs: cardTs, actionId, value: conversationId, responseUrl: 'http://127.0.0.1:9/unused' });

  /** A raw body signed with `secret`: a `payload=` form, or JSON as Slack sends events, whatever it holds. */
  function postRaw(rawBody: string, secret = SIGNING_SECRET) {
    const contentType = rawBody.startsWith('payload=') || rawBody.startsWith('x=') ? 'application/x-www-form-urlencoded' : 'application/json';
    return request(w.app).post('/slack/events').set({ ...signSlackRequest(secret, rawBody), 'content-type': contentType }).send(rawBody);
  }

  it('shows @mia_home as written in the card, its notification and the follow-up line, with nothing formatted', async () => {
    const author = { handle: '@mia_home', name: 'Mia_Home *Fan*', profileUrl: 'https://shop.example/u/mia_home' };
    const { card, channel } = await customerWrites(author, 'my thermostat is broken', { threadKey: 'mia' });
    const [notification, headline] = shownMrkdwn(card);
    assert.equal(notification?.visible, 'New conversation from @mia_home');
    assert.deepEqual(headline, { visible: 'Webhook mention from Mia_Home *Fan* (@mia_home)', active: ['link:https://shop.example/u/mia_home', 'bold:Webhook mention'] });

    await customerWrites(author, 'hello? anyone?', { threadKey: 'mia' });
    const [followUp] = w.slackApi.thread(channel, card.ts);
    assert.ok(followUp);
    assert.deepEqual(shownMrkdwn(followUp).map((r) => r.visible), ['@mia_home wrote again', '@mia_home wrote again:']);
    assert.deepEqual(shownMrkdwn(followUp).flatMap((r) => r.active), [], 'no formatting, ping or link');
    assert.equal(plainText(followUp), 'hello? anyone?');
  });

  it('never pings or mentions from a customer name such as "@channel" or "<!here>"', async () => {
    const { card } = await customerWrites({ handle: '@here', name: '@channel <!everyone> <@U0AGENT01> :fire: evil.com' });
    const shown = shownMrkdwn(card);
    assert.equal(shown[1]?.visible, 'Webhook mention from @channel <!everyone> <@U0AGENT01> :fire: evil.com (@here)');
    assert.equal(shown[0]?.visible, 'New conversation from @here');
    const active = shown.flatMap((r) => r.active).filter((a) => !a.startsWith('bold:'));
    assert.deepEqual(active, [], 'no broadcast, mention, emoji or link');
  });

  it('cuts a long message before an emoji it would split, never leaving half of it', async () => {
    const text = `${'a'.repeat(2898)}👍🏽 and more`;
    const { card } = await customerWrites({ name: 'Kim' }, text);
    assert.equal(plainText(card), `${'a'.repeat(2898)}…`);
    assert.equal((await MessageModel.findOne({ direction: 'inbound' }).lean())?.text, text, 'the stored message stays whole');
  });

  it('shows a link whose URL or label carries a bidirectional control as text, not clickable', async () => {
    const { card } = await customerWrites({ name: 'Lena \u202eexe.gpj', profileUrl: 'https://shop.example/u/lena' }, 'my thermostat is broken', {
      url: 'https://shop.example/p/\u202e1',
    });
    const shown = shownMrkdwn(card);
    assert.equal(shown[1]?.visible, 'Webhook mention from Lena \u202eexe.gpj');
    assert.deepEqual(shown.flatMap((r) => r.active).filter((a) => a.startsWith('link:')), [], 'neither the profile nor the original is a link');
    assert.match(shown[2]?.visible ?? '', /· original$/);
  });

  it('refuses a correctly signed request dated an hour ahead with 401 and processes nothing', async () => {
    const { conversation, card } = await customerWrites({ name: 'Kim' });
    const reply = w.slackApi.addMessage(CHANNELS.support, { user: AGENT.id, text: 'hi', thread_ts: card.ts });
    const event = eventCallback({ event: messageEvent({ channel: CHANNELS.support, user: AGENT.id, text: 'hi', ts: reply.ts, thread_ts: card.ts }) });
    const future = Math.floor(Date.now() / 1000) + 3600;
    const res = await w.postSigned(event, { timestampSeconds: future });
    assert.equal(res.status, 401);
    assert.match((res.body as { error: { message: string } }).error.message, /x-slack-request-timestamp is 3[56]\d\d s from now/);
    const action = await w.postSigned(click(String(conversation._id), card.ts), { timestampSeconds: future });
    assert.equal(action.status, 401);
    assert.equal(await MessageModel.countDocuments({ direction: { $ne: 'inbound' } }), 0);
    assert.equal(await ActivityModel.countDocuments(), 0);
    assert.equal(w.jobs.length, 0);
    // four minutes ahead is within Slack's tolerance
    assert.equal((await w.postSigned(event, { timestampSeconds: Math.floor(Date.now() / 1000) + 240 })).status, 200);
    assert.deepEqual(w.jobs.map((j) => j.kind), ['deliver']);
  });

  it('applies an Assign delivered twice once, a second click within 10 s too, and a click after the window again', async () => {
    const { conversation, card } = await customerWrites({ name: 'Kim' });
    const id = String(conversation._id);
    const payload = click(id, card.ts);
    const rawBody = formBody(payload);
    const headers = signSlackRequest(SIGNING_SECRET, rawBody);
    const deliver = () => request(w.app).post('/slack/events').set({ ...headers }).send(rawBody);
    const [first, second] = await Promise.all([deliver(), deliver()]);
    assert.deepEqual([first.status, second.status], [200, 200], 'the same bytes twice at once');
    assert.equal((await deliver()).status, 200, 'and once more');
    assert.equal((await w.postSigned(click(id, card.ts))).status, 200, 'a new payload for the same button');
    assert.equal(await ActivityModel.countDocuments({ type: 'assigned' }), 1);
    assert.equal(w.slackApi.callsTo('chat.update').length, 1, 'the card is redrawn once');

    // the window has passed (the stored time says so, whether or not the record was deleted)
    await SlackInteractionModel.updateMany({}, { $set: { until: new Date(Date.now() - 1000) } });
    assert.equal((await w.postSigned(click(id, card.ts))).status, 200);
    assert.equal(await ActivityModel.countDocuments({ type: 'assigned' }), 2);
    assert.equal(w.slackApi.callsTo('chat.update').length, 2);
    // another button on the same card is another act
    assert.equal((await w.postSigned(click(id, card.ts, 'sb_feedback'))).status, 200);
    assert.equal(await ActivityModel.countDocuments({ type: 'feedback' }), 1);
  });

  it('answers 400 naming the problem for signed bodies Bolt cannot read, and 401 before that when unsigned', async () => {
    const bodies: Array<[string, RegExp]> = [
      ['null', /body must be a JSON object/],
      ['[1,2]', /body must be a JSON object/],
      ['"text"', /body must be a JSON object/],
      ['{"type":"event_callback","event":null}', /^body\.event \(event_callback\): .*expected object/],
      ['{"type":"event_callback","event":"message"}', /^body\.event \(event_callback\)/],
      ['{"type":"event_callback"}', /^body\.event \(event_callback\)/],
      [formBody({ type: 'block_actions', user: { id: AGENT.id } }), /^payload\.actions \(block_actions\)/],
      [formBody({ type: 'block_actions', user: { id: AGENT.id }, actions: 'x' }), /^payload\.actions \(block_actions\)/],
      [formBody({ type: 'block_actions', actions: [{ action_id: 'sb_assign_me', value: 'x' }] }), /^payload\.user \(block_actions\)/],
      [formBody({ type: 'block_actions', user: { id: AGENT.id }, actions: [{ value: 'x' }] }), /^payload\.actions\[0\]\.action_id \(block_actions\)/],
      [formBody({ type: 'view_submission', user: { id: AGENT.id } }), /^payload\.view \(view_submission\)/],
      ['{not json', /body is not valid JSON/],
      ['payload=garbage', /payload is not valid JSON/],
      ['payload=null', /payload must be a JSON object/],
      [`payload=${encodeURIComponent('{"type":"block_actions"}')}&payload=x`, /payload must appear once/],
      ['x=1', /a form body needs payload, command or ssl_check/],
    ];
    for (const [raw, message] of bodies) {
      const res = await postRaw(raw);
      assert.equal(res.status, 400, raw);
      assert.match((res.body as { error: { message: string } }).error.message, message, raw);
      const unsigned = await postRaw(raw, 'not-the-secret');
      assert.equal(unsigned.status, 401, `${raw} unsigned`);
    }
    assert.equal((await request(w.app).get('/healthz')).status, 200);
  });

  it('stores and queues nothing for a signed message event without ts', async () => {
    const { card } = await customerWrites({ name: 'Kim' });
    const event = messageEvent({ channel: CHANNELS.support, user: AGENT.id, text: 'no ts here', thread_ts: card.ts });
    delete event.ts;
    assert.equal((await w.postSigned(eventCallback({ event }))).status, 200);
    assert.equal(await MessageModel.countDocuments({ direction: { $ne: 'inbound' } }), 0);
    assert.deepEqual(w.jobs, []);
  });

  it('leaves no activity record for an action on a conversation that does not exist', async () => {
    const { card } = await customerWrites({ name: 'Kim' });
    for (const actionId of ['sb_assign_me', 'sb_feedback', 'sb_resolve']) {
      for (const value of ['0123456789abcdef01234567', 'not-an-id']) assert.equal((await w.postSigned(click(value, card.ts, actionId))).status, 200);
    }
    const reassign = blockActionsPayload({
      user: AGENT.id, channel: CHANNELS.support, messageTs: card.ts, actionId: 'sb_reassign', selectedOption: { value: '0123456789abcdef01234567|sales' },
    });
    assert.equal((await w.postSigned(reassign)).status, 200);
    assert.equal(await ActivityModel.countDocuments(), 0);
    assert.equal(w.slackApi.callsTo('chat.update').length, 0);
  });
});
