import assert from 'node:assert/strict';
import { freePort } from '../../scripts/db/net';
import type { CrashPoint } from '../../src/domain/crash';
import { FakeReplyReceiver } from '../fakes/reply-receiver';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api';
import { testFerretdbUri } from '../setup/ferretdb';
import { runScript, waitFor, type Finished } from '../support/process';
import { eventCallback, messageEvent, signedSlackBody } from '../support/slack-requests';

const SIGNING_SECRET = 'kill-test-signing-secret';
const SUPPORT = 'C0SUPPORT';
const AGENT = 'U0AGENT01';

/**
 * The real app as a child process, SIGKILLed at chosen points of ingest → card → follow-up → reply
 * (the test hook SWITCHBOARD_CRASH_AT), restarted each time: in the end each card, thread line and reply exists once.
 */
describe('kill tests: the app SIGKILLed between a write and its job loses nothing and posts nothing twice', function () {
  this.timeout(120_000);
  let slack: FakeSlackApi;
  let receiver: FakeReplyReceiver;
  before(async () => {
    slack = await startFakeSlackApi();
    slack.addChannel(SUPPORT, 'support');
    slack.addUser({ id: AGENT, name: 'anna', displayName: 'Anna Agent' });
    receiver = await new FakeReplyReceiver().listen();
  });
  after(async () => {
    await slack.close();
    await receiver.close();
  });

  it('cards, follow-ups and replies arrive once across four crashes and restarts', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      MONGODB_URI: testFerretdbUri(), DB_NAME: `kill_${Date.now()}`, PORT: String(port), REPLAY: 'off', LOG_LEVEL: 'warn',
      JOBS_PROCESS_EVERY_MS: '200', OUTBOX_SWEEP_SECONDS: '1', OUTBOX_GRACE_SECONDS: '1',
      SLACK_BOT_TOKEN: slack.identity.token, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNELS: `support=${SUPPORT},sales=${SUPPORT},product=${SUPPORT},hr=${SUPPORT},other=${SUPPORT}`, SLACK_TRIAGE_CHANNEL: SUPPORT,
      WEBHOOK_REPLY_URLS: `shop=${receiver.url}/in`, WEBHOOK_REPLY_SECRET: 'kill-test-reply-secret',
    };
    const token = await runScript('src/cli/main.ts', ['token', 'create', '--role', 'ingest'], env).done;
    assert.equal(token.code, 0, token.stderr);
    const ingest = (externalId: string, text: string) =>
      fetch(`${base}/api/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.stdout.trim()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'shop', externalId, threadKey: 'case-1', author: { id: 'c-1', name: 'Jo' }, text, createdAt: new Date().toISOString() }),
      });
    const cards = () => slack.messages(SUPPORT);
    const thread = () => slack.thread(SUPPORT, cards()[0]?.ts ?? '');

    /** Starts the app (armed to die at `crashAt`), waits until it answers, runs `step`, and returns how it ended. */
    async function run(crashAt: CrashPoint | undefined, step: () => Promise<unknown>): Promise<Finished> {
      const app = runScript('src/main.ts', [], crashAt ? { ...env, SWITCHBOARD_CRASH_AT: crashAt } : env);
      try {
        await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 60_000, `/readyz (${crashAt ?? 'no crash'})`);
        await step();
      } finally {
        if (!crashAt) app.child.kill('SIGTERM');
      }
      const done = await app.done;
      // tsx runs the app in a child of its own and exits 128 + 9 when that child is SIGKILLed
      const ended = app.child.signalCode ?? done.code;
      assert.ok(crashAt ? ended === 'SIGKILL' || ended === 137 : ended === 0, `ended with ${String(ended)}: ${done.stderr}`);
      return done;
    }
    const dies = (request: Promise<Response>) => assert.rejects(request, 'the request dies with the process');

    // 1: the message is stored, its conversation is not; the client's retry must complete it
    await run('after-message-stored', () => dies(ingest('form-1', 'My thermostat is broken')));
    // 2: that retry stores the conversation, then the process dies before its SLA clock and card job
    await run('after-conversation-stored', () => dies(ingest('form-1', 'My thermostat is broken')));
    // 3: the sweep posts the card; a follow-up is stored and the process dies before its thread job
    await run('after-followup-stored', async () => {
      await waitFor(() => Promise.resolve(cards().length === 1), 15_000, 'the card, posted by the sweep');
      await dies(ingest('form-2', 'It shows E42 now'));
    });
    // 4: the sweep posts the follow-up; the agent answers and the process dies before queueing the delivery
    const reply = await (async () => {
      let event: Record<string, unknown> = {};
      await run('after-reply-stored', async () => {
        await waitFor(() => Promise.resolve(thread().some((m) => JSON.stringify(m.blocks).includes('E42'))), 15_000, 'the follow-up, posted by the sweep');
        const card = cards()[0]!;
        const posted = slack.addMessage(SUPPORT, { user: AGENT, text: 'Sorry Jo, a new unit is on its way', thread_ts: card.ts });
        event = eventCallback({ event: messageEvent({ channel: SUPPORT, user: AGENT, text: posted.text ?? '', ts: posted.ts, thread_ts: card.ts }) });
        const { rawBody, headers } = signedSlackBody(SIGNING_SECRET, event);
        // Bolt may acknowledge before it handles the event: the answer may or may not arrive
        await fetch(`${base}/slack/events`, { method: 'POST', headers, body: rawBody }).catch(() => undefined);
      });
      return event;
    })();
    // 5: Slack redelivers the event and the webhook client retries both messages; the sweep delivers the reply
    await run(undefined, async () => {
      const { rawBody, headers } = signedSlackBody(SIGNING_SECRET, reply, { retry: { num: 1, reason: 'http_error' } });
      assert.equal((await fetch(`${base}/slack/events`, { method: 'POST', headers, body: rawBody })).status, 200);
      for (const [id, text] of [['form-1', 'My thermostat is broken'], ['form-2', 'It shows E42 now']] as const) {
        const res = await ingest(id, text);
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { duplicates: number }).duplicates, 1);
      }
      await waitFor(() => Promise.resolve(receiver.received.length >= 1), 15_000, 'the reply, delivered by the sweep');
      // two more sweeps, which must find nothing left to do
      await new Promise((resolve) => setTimeout(resolve, 2000));
    });

    assert.equal(cards().length, 1, 'one card');
    assert.match(JSON.stringify(cards()[0]?.blocks), /My thermostat is broken/);
    assert.equal(thread().filter((m) => JSON.stringify(m.blocks ?? m.text).includes('E42')).length, 1, 'one thread line for the follow-up');
    assert.deepEqual(receiver.received.map((r) => r.body.text), ['Sorry Jo, a new unit is on its way'], 'one reply to the customer');
  });
});
