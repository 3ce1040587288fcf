/**
 * Latency of the Slack loop with the fake X and Slack APIs on loopback and the real agenda jobs:
 * message ingested → card posted in Slack, and Slack reply event → reply posted on X.
 * Usage: npm run bench:slack [-- N]   (N conversations, default 1000)
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { JobWithId } from 'agenda';
import mongoose from 'mongoose';
import { loadSeedExamples, train } from '../../classifiers';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { ingestMessage, type PipelineDeps } from '../../src/ingest/pipeline';
import { createAgenda } from '../../src/jobs/agenda';
import { agendaOutbox, defineOutboxJobs, JOBS } from '../../src/jobs/outbox';
import { Router } from '../../src/routing/router';
import { createLogger } from '../../src/runtime/logger';
import { createSlack } from '../../src/slack/app';
import { DepartmentDirectory } from '../../src/slack/directory';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { messageIdFor } from '../../src/store/ids';
import { ConversationModel } from '../../src/store/models/conversation';
import { MessageModel } from '../../src/store/models/message';
import { createXConnector } from '../../connectors/x';
import { OAUTH1 } from '../../test/connectors/x-setup';
import { startFakeXApi } from '../../test/fakes/x-api';
import { startFakeSlackApi } from '../../test/fakes/slack-api';
import { eventCallback, messageEvent, signedSlackBody } from '../../test/support/slack-requests';
import { startBenchDb } from './bench-db';

const N = Number(process.argv[2] ?? 1000);
const SECRET = 'bench-secret';
const CHANNELS = Object.fromEntries(DEFAULT_DEPARTMENTS.map((d) => [d.key, `C0${d.key.toUpperCase()}`]));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
const show = (name: string, v: number[]) =>
  console.log(`${name}: p50 ${percentile(v, 50).toFixed(1)} ms, p99 ${percentile(v, 99).toFixed(1)} ms, max ${Math.max(...v).toFixed(1)} ms (n=${v.length})`);

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const db = await startBenchDb(dataDir);
  // the fake's per-route window (300 per 15 min, like X) would stop a 1,000-reply run: lift it
  const fakeX = await startFakeXApi({ rateLimit: 1_000_000, me: { username: 'kestrelhome' } });
  const x = { fake: fakeX, connector: createXConnector({ accountId: 'acct-x-1', userId: fakeX.me.id, credentials: OAUTH1, apiBaseUrl: fakeX.url }) };
  const slackApi = await startFakeSlackApi();
  for (const id of Object.values(CHANNELS)) slackApi.addChannel(id, id.toLowerCase());
  slackApi.addChannel('C0TRIAGE', 'triage');
  slackApi.addUser({ id: 'U0AGENT01', name: 'anna' });
  try {
    await connectStore(db.uri, 'bench');
    const agenda = await createAgenda(mongoose.connection.db!, Number(process.env.JOBS_PROCESS_EVERY_MS ?? 50));
    const logger = createLogger('silent');
    const directory = new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })), CHANNELS, 'C0TRIAGE');
    const outbox = agendaOutbox(agenda, true);
    const slack = createSlack({ config: { botToken: slackApi.identity.token, signingSecret: SECRET, socketMode: false, apiUrl: slackApi.apiUrl, channels: CHANNELS, triageChannel: 'C0TRIAGE' }, directory, outbox, notePrefix: 'note:', logger });
    const pipeline: PipelineDeps = {
      router: new Router(train(loadSeedExamples()), { threshold: 0.5, departments: DEFAULT_DEPARTMENTS.map((d) => d.key) }),
      onNewConversation: ({ conversationId }) => outbox.conversationRouted(String(conversationId)),
    };
    defineOutboxJobs(agenda, {
      notifier: slack.notifier,
      delivery: { connectorFor: () => x.connector, report: (id) => outbox.replyFinished(id), maxAttempts: 3, retryBaseMs: 1000, owner: 'bench' },
    });
    // agenda may run a job twice on FerretDB (its lock is not atomic there); our leases make the
    // second run a no-op, so a waiter resolves only when the work it waits for is recorded
    const done = new Map<string, () => Promise<boolean>>();
    const resolvers = new Map<string, () => void>();
    const check = (key: string) => {
      const finished = done.get(key);
      void finished?.().then((yes) => yes && resolvers.get(key)?.());
    };
    // the job may already have finished before the waiter exists: look once right away too
    const waitFor = (key: string, finished: () => Promise<boolean>) =>
      new Promise<void>((resolve) => {
        done.set(key, finished);
        resolvers.set(key, resolve);
        check(key);
      });
    agenda.on(`complete:${JOBS.postConversation}`, (job: JobWithId) => check((job.attrs.data as { conversationId: string }).conversationId));
    agenda.on(`complete:${JOBS.deliver}`, (job: JobWithId) => check((job.attrs.data as { messageId: string }).messageId));
    agenda.on('fail', (err: Error, job: JobWithId) => console.error(`job ${job.attrs.name} failed: ${err.message}`));
    await agenda.start();
    const server = createApp({ logger, pipeline, ingest: { maxBytes: 65536, maxBatch: 10 }, slackRouter: slack.router }).listen(0);
    await new Promise((r) => server.once('listening', r));
    const events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const seed = loadSeedExamples();

    const toSlack: number[] = [];
    const toX: number[] = [];
    for (let i = 0; i < N; i++) {
      const customer = x.fake.addUser(`customer${i}`);
      const tweet = x.fake.addMention({ from: customer, text: `@kestrelhome ${seed[i % seed.length]?.text ?? 'hello'}`.slice(0, 270) });
      const [message] = (await x.connector.pull({ mentionsSinceId: String(BigInt(tweet.id) - 1n) })).messages;
      if (message?.externalId !== tweet.id) throw new Error(`mention ${tweet.id} not pulled`);
      let t = performance.now();
      const conversationId = String((await ingestMessage(message, pipeline)).conversationId);
      const posted = waitFor(conversationId, async () => Boolean((await ConversationModel.findById(conversationId, { slack: 1 }).lean())?.slack?.ts));
      await posted;
      toSlack.push(performance.now() - t);

      const conversation = await ConversationModel.findOne({ threadKey: message.threadKey }, { slack: 1, channel: 1, account: 1 }).lean();
      const { channel, ts: threadTs } = conversation!.slack!;
      const reply = slackApi.addMessage(channel!, { user: 'U0AGENT01', text: `Thanks, we are on it (#${i})`, thread_ts: threadTs! });
      const messageId = String(messageIdFor({ channel: 'x', account: conversation!.account, externalId: `slack:${channel}:${reply.ts}` }));
      const delivered = waitFor(messageId, async () => (await MessageModel.findById(messageId, { delivery: 1 }).lean())?.delivery?.state === 'sent');
      const { rawBody, headers } = signedSlackBody(SECRET, eventCallback({ event: messageEvent({ channel: channel!, user: 'U0AGENT01', text: reply.text ?? '', ts: reply.ts, thread_ts: threadTs! }) }));
      t = performance.now();
      const res = await fetch(events, { method: 'POST', headers, body: rawBody });
      if (res.status !== 200) throw new Error(`event answered ${res.status}`);
      await delivered;
      toX.push(performance.now() - t);
    }
    show('ingested → Slack card posted', toSlack);
    show('Slack reply event → X reply posted', toX);
    console.log(`X posts created: ${x.fake.createdPosts.length} for ${N} replies; agenda processEvery ${process.env.JOBS_PROCESS_EVERY_MS ?? 50} ms`);
    server.close();
    await agenda.stop();
  } finally {
    await disconnectStore();
    await db.stop();
    await x.fake.close();
    await slackApi.close();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
