/**
 * The e-mail channel against a real dovecot on loopback: mails fetched and parsed per second, and the latency
 * mail delivered → Slack card posted with IMAP IDLE (fake Slack API, the real agenda card job).
 * Usage: npm run bench:email [-- FETCH LATENCY]   (mails to fetch, default 2000; IDLE round trips, default 200)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JobWithId } from 'agenda';
import mongoose from 'mongoose';
import { loadSeedExamples, train } from '../../classifiers';
import { createEmailConnector } from '../../connectors/email';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import type { PipelineDeps } from '../../src/ingest/pipeline';
import { createAgenda } from '../../src/jobs/agenda';
import { agendaOutbox, defineOutboxJobs, JOBS } from '../../src/jobs/outbox';
import { Router } from '../../src/routing/router';
import { storeLookups, watchEmailAccounts } from '../../src/runtime/email';
import { createLogger } from '../../src/runtime/logger';
import { createSlack } from '../../src/slack/app';
import { DepartmentDirectory } from '../../src/slack/directory';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { conversationIdFor } from '../../src/store/ids';
import { ConversationModel } from '../../src/store/models/conversation';
import { registerAccount } from '../../src/store/repositories/channel-accounts';
import { mail } from '../../test/connectors/email-setup';
import { startFakeSlackApi } from '../../test/fakes/slack-api';
import { startImapServer } from '../../test/support/imap-server';
import { startBenchDb } from './bench-db';

const FETCH = Number(process.argv[2] ?? 2000);
const LATENCY = Number(process.argv[3] ?? 200);
const BULK = 'bulk@acme.test';
const LIVE = 'live@acme.test';
const CHANNELS = Object.fromEntries(DEFAULT_DEPARTMENTS.map((d) => [d.key, `C0${d.key.toUpperCase()}`]));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bench-'));
  const imap = await startImapServer([BULK, LIVE]);
  const db = await startBenchDb(dataDir);
  const slackApi = await startFakeSlackApi();
  for (const id of [...Object.values(CHANNELS), 'C0TRIAGE']) slackApi.addChannel(id, id.toLowerCase());
  const smtp = { host: '127.0.0.1', port: 1, secure: false };
  const seed = loadSeedExamples();
  const body = (i: number) => seed[i % seed.length]?.text ?? 'hello';
  try {
    // 1. fetch + parse rate: one poll's read of a mailbox of FETCH mails
    await imap.deliverMany(BULK, Array.from({ length: FETCH }, (_, i) => mail({ to: BULK, subject: `Question ${i}`, text: `${body(i)}\n\nBest regards,\nCustomer ${i}` }).raw));
    const bulk = createEmailConnector({ accountId: BULK, address: BULK, imap: imap.settings(BULK), smtp, batchSize: FETCH, firstPollMails: FETCH });
    const t0 = performance.now();
    const read = await bulk.pullTimeline('INBOX', {});
    const seconds = (performance.now() - t0) / 1000;
    if (read.messages.length !== FETCH) throw new Error(`read ${read.messages.length} of ${FETCH}`);
    console.log(`IMAP fetch + parse: ${FETCH} mails in ${seconds.toFixed(2)} s = ${Math.round(FETCH / seconds)} mails/s (one connection, UID FETCH of full sources)`);
    await bulk.close();

    // 2. mail delivered → Slack card posted, with IDLE
    await connectStore(db.uri, 'bench');
    const agenda = await createAgenda(mongoose.connection.db!, Number(process.env.JOBS_PROCESS_EVERY_MS ?? 50));
    const logger = createLogger('silent');
    const directory = new DepartmentDirectory(DEFAULT_DEPARTMENTS.map((d) => ({ ...d })), CHANNELS, 'C0TRIAGE');
    const outbox = agendaOutbox(agenda, true);
    const slack = createSlack({ config: { botToken: slackApi.identity.token, signingSecret: 'bench-secret', socketMode: false, apiUrl: slackApi.apiUrl, channels: CHANNELS, triageChannel: 'C0TRIAGE' }, directory, outbox, notePrefix: 'note:', logger });
    const pipeline: PipelineDeps = {
      router: new Router(train(seed), { threshold: 0.5, departments: DEFAULT_DEPARTMENTS.map((d) => d.key) }),
      onNewConversation: ({ conversationId }) => outbox.conversationRouted(String(conversationId)),
    };
    defineOutboxJobs(agenda, { notifier: slack.notifier, delivery: { connectorFor: () => undefined, maxAttempts: 1, retryBaseMs: 1000, owner: 'bench' } });
    const waiting = new Map<string, () => void>();
    agenda.on(`complete:${JOBS.postConversation}`, (job: JobWithId) => {
      const id = (job.attrs.data as { conversationId: string }).conversationId;
      void ConversationModel.findById(id, { slack: 1 }).lean().then((c) => c?.slack?.ts && waiting.get(id)?.());
    });
    await agenda.start();
    await registerAccount({ channel: 'email', account: LIVE });
    const live = createEmailConnector({ accountId: LIVE, address: LIVE, imap: imap.settings(LIVE), smtp, lookups: storeLookups });
    let connected: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const stop = watchEmailAccounts([{ connector: live, account: LIVE, intervalMs: 3_600_000 }], { pipeline, logger, owner: 'bench', leaseMs: 30_000 }, logger, { onPolled: () => connected() });
    await ready;
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY; i += 1) {
      const m = mail({ to: LIVE, subject: `Live ${i}`, text: body(i) });
      const id = String(conversationIdFor({ channel: 'email', account: LIVE, threadKey: m.messageId }));
      const posted = new Promise<void>((resolve) => waiting.set(id, resolve));
      const t = performance.now();
      await imap.deliver(LIVE, m.raw);
      await posted;
      latencies.push(performance.now() - t);
    }
    const show = (p: number) => percentile(latencies, p).toFixed(1);
    console.log(`mail delivered (IMAP APPEND) → Slack card posted, IDLE: p50 ${show(50)} ms, p99 ${show(99)} ms, max ${Math.max(...latencies).toFixed(1)} ms (n=${LATENCY}; agenda processEvery ${process.env.JOBS_PROCESS_EVERY_MS ?? 50} ms)`);
    await stop();
    await agenda.stop();
  } finally {
    await disconnectStore();
    await db.stop();
    await slackApi.close();
    await imap.stop();
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
