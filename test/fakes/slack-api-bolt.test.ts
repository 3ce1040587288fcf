import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { startFakeSlackApi } from './slack-api';
import type { FakeSlackApi } from './slack-api';
import { blockActionsPayload, eventCallback, messageEvent, signedSlackBody, urlVerification } from '../support/slack-requests';

/** The request helpers and the fake together: Bolt accepts what the helpers sign and answers through the fake. */
describe('signed Slack requests through Bolt’s ExpressReceiver, answered through the fake Web API', () => {
  const signingSecret = 'test-signing-secret';
  const C = 'C0SUPPORT';
  let fake: FakeSlackApi;
  let web: express.Express;
  let retries: (number | undefined)[];
  let selected: string[];

  beforeEach(async () => {
    fake = await startFakeSlackApi();
    fake.addChannel(C, 'support');
    retries = [];
    selected = [];
    const { token, botId, botUserId } = fake.identity;
    const receiver = new ExpressReceiver({ signingSecret, endpoints: '/events', processBeforeResponse: true, logLevel: LogLevel.ERROR });
    const app = new App({
      receiver, token, botId, botUserId, tokenVerificationEnabled: false, logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.message(async ({ message, say, context }) => {
      retries.push(context.retryNum);
      if (message.subtype === undefined && message.thread_ts) await say({ text: `heard: ${message.text ?? ''}`, thread_ts: message.thread_ts });
    });
    app.action('resolve', async ({ ack, body, client }) => {
      await ack();
      if (body.type === 'block_actions' && body.container.message_ts) {
        await client.reactions.add({ channel: body.container.channel_id as string, timestamp: body.container.message_ts as string, name: 'white_check_mark' });
      }
    });
    app.action('reassign', async ({ ack, action }) => {
      await ack();
      if (action.type === 'static_select') selected.push(action.selected_option.value);
    });
    web = express();
    web.use('/slack', receiver.router);
  });
  afterEach(() => fake.close());

  const post = (body: Record<string, unknown>, options: Parameters<typeof signedSlackBody>[2] = {}): request.Test => {
    const { rawBody, headers } = signedSlackBody(signingSecret, body, options);
    return request(web).post('/slack/events').set(headers).send(rawBody);
  };

  it('answers url_verification with the challenge', async () => {
    const res = await post(urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'));
    assert.equal(res.status, 200);
    assert.equal(res.body.challenge, '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
  });

  it('delivers a thread reply event (and its retry, with retryNum) and ignores the bot’s own message', async () => {
    const parent = fake.addMessage(C, { user: 'U0CUSTOMR', text: 'new conversation' });
    const reply = fake.addMessage(C, { user: 'U0AGENT01', text: 'we are on it', thread_ts: parent.ts });
    const event = eventCallback({ event: messageEvent({ channel: C, user: 'U0AGENT01', text: reply.text, ts: reply.ts, thread_ts: parent.ts }) });
    assert.equal((await post(event)).status, 200);
    assert.equal((await post(event, { retry: { num: 1, reason: 'http_timeout' } })).status, 200);
    assert.deepEqual(retries, [undefined, 1]);
    assert.deepEqual(fake.thread(C, parent.ts).map((m) => m.text), ['we are on it', 'heard: we are on it', 'heard: we are on it']);

    const own = messageEvent({ channel: C, user: fake.identity.botUserId, bot_id: fake.identity.botId, text: 'x', thread_ts: parent.ts });
    assert.equal((await post(eventCallback({ event: own }))).status, 200);
    assert.equal(retries.length, 2);
  });

  it('handles block_actions sent as a form payload: a button and a static select', async () => {
    const ts = fake.addMessage(C, { user: fake.identity.botUserId, text: 'conversation' }).ts;
    const button = blockActionsPayload({ user: 'U0AGENT01', channel: C, messageTs: ts, actionId: 'resolve', value: 'conv-1' });
    assert.equal((await post(button)).status, 200);
    assert.deepEqual(fake.reactions(C, ts), ['white_check_mark']);
    const select = blockActionsPayload({ user: 'U0AGENT01', channel: C, messageTs: ts, actionId: 'reassign', selectedOption: { value: 'billing' } });
    assert.equal((await post(select)).status, 200);
    assert.deepEqual(selected, ['billing']);
  });

  it('refuses a stale or unsigned request with 401 and runs nothing', async () => {
    const parent = fake.addMessage(C, { user: 'U0CUSTOMR', text: 'hi' });
    const event = eventCallback({ event: messageEvent({ channel: C, user: 'U0AGENT01', text: 'answer', thread_ts: parent.ts }) });
    assert.equal((await post(event, { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 })).status, 401);
    const unsigned = await request(web).post('/slack/events').set('content-type', 'application/json').send(JSON.stringify(event));
    assert.equal(unsigned.status, 401);
    assert.deepEqual(retries, []);
    assert.equal(fake.calls.length, 0);
  });
});
