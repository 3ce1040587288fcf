import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDb, type RunningEmbeddedDb } from '../../scripts/db/embedded';
import { freePort, sleep } from '../../scripts/db/net';
import { connectStore, disconnectStore } from '../../src/store/connection';
import { MessageModel } from '../../src/store/models/message';
import { createApiToken } from '../../src/store/repositories/tokens';
import { FakeReplyReceiver } from '../fakes/reply-receiver';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api';
import { appEnv, killApp, ONE_CHANNEL, postsByKey, SLACK_SIGNING_SECRET, startApp, type AppProcess } from './app-processes';
import { waitFor } from './process';
import { eventCallback, messageEvent, signedSlackBody } from './slack-requests';

const AGENT = 'U0AGENT01';

/** What one disruption left to do, and how long it took to finish after the restart. */
export interface Resumed {
  /** Slack metadata keys of the cards and follow-ups of this step (the kill -9 step's cards were posted before it) */
  keys: string[];
  /** from the restart (the new process spawned, or the database answering again) to the last item delivered */
  resumeMs: number;
  /** of which the new app process took to answer /readyz (0 when the app stayed up) */
  startMs: number;
  /** items (cards, follow-ups, replies) still to deliver when the disruption hit (none would mean it tested nothing) */
  left: number;
}

/**
 * Real app processes (`src/main.ts`) on an embedded database of their own, a slow fake Slack and reply receiver so
 * that posts are in flight when a process or the database is stopped or killed. Shared by the restart test and
 * `npm run bench:restart`.
 */
export class RestartWorld {
  slack!: FakeSlackApi;
  receiver!: FakeReplyReceiver;
  db?: RunningEmbeddedDb;
  app?: AppProcess;
  replies: string[] = [];
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-restart-'));
  private port = 0;
  private token = '';
  private env: Record<string, string> = {};

  constructor(readonly batch: number, readonly lockLifetimeMs: number) {}

  async start(): Promise<void> {
    this.port = await freePort();
    await this.startDb();
    await connectStore(this.db!.uri, 'restart');
    this.slack = await startFakeSlackApi();
    this.slack.addChannel(ONE_CHANNEL, 'support');
    this.slack.addUser({ id: AGENT, name: 'anna', displayName: 'Anna Agent' });
    this.slack.latencyMs = 800;
    this.receiver = await new FakeReplyReceiver().listen();
    this.receiver.latencyMs = 500;
    this.token = (await createApiToken('ingest', 'restart-test')).token;
    this.env = appEnv(this.db!.uri, 'restart', this.slack, {
      LOG_LEVEL: 'info', JOBS_LOCK_LIFETIME_MS: String(this.lockLifetimeMs), SLACK_RETRY_BASE_MS: '200', OUTBOUND_RETRY_BASE_MS: '200',
      SHUTDOWN_TIMEOUT_MS: '300',
      WEBHOOK_REPLY_URLS: `shop=${this.receiver.url}/in`, WEBHOOK_REPLY_SECRET: 'restart-test-reply-secret',
    });
  }

  async close(): Promise<void> {
    await this.app?.stop().catch(() => undefined);
    await disconnectStore();
    await this.slack?.close();
    await this.receiver?.close();
    await this.db?.stop();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Kept crash-safe (not a throw-away cluster): a kill -9 of PostgreSQL must not lose a commit it acknowledged. */
  private async startDb(): Promise<void> {
    const sourcesDir = process.env.DOCUMENTDB_SOURCES_DIR?.trim() || undefined;
    this.db = await startEmbeddedDb({ port: this.port, dataDir: this.dataDir, sourcesDir, startTimeoutMs: 120_000 });
  }

  private async startApp(): Promise<number> {
    const began = Date.now();
    this.app = await startApp(this.env);
    return Date.now() - began;
  }

  posted(keys: string[]): number {
    const posts = postsByKey(this.slack);
    return keys.filter((k) => posts.has(k)).length;
  }

  /** Replies delivered to the receiver, one per Idempotency-Key (a repeat with the same key is the same reply). */
  delivered(): number {
    return new Set(this.receiver.received.map((r) => String(r.headers['idempotency-key']))).size;
  }

  private async ingest(items: { id: string; thread: string; text: string }[]): Promise<string[]> {
    const body = items.map((m) => ({ source: 'shop', externalId: m.id, threadKey: m.thread, author: { id: `c-${m.thread}`, name: 'Jo' }, text: m.text, createdAt: new Date().toISOString() }));
    const res = await fetch(`${this.app!.base}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    return (JSON.parse(text) as { results: { conversationId: string }[] }).results.map((r) => `conversation:${r.conversationId}`);
  }

  private async newCards(tag: string): Promise<string[]> {
    const threads = Array.from({ length: this.batch }, (_, i) => `${tag}-${i}`);
    return this.ingest(threads.map((t) => ({ id: `${t}-1`, thread: t, text: 'my thermostat is broken' })));
  }

  private async finished(keys: string[], from: number, extra: () => Promise<boolean> = () => Promise.resolve(true)): Promise<number> {
    const done = async () => this.posted(keys) === keys.length && (await extra());
    // a timeout says what the app logged: the one way to tell a stuck job from a stuck database afterwards
    await waitFor(done, 180_000, `${keys.length} items after the restart`).catch((err: Error) => {
      throw new Error(`${err.message} (${this.posted(keys)} posted); the app's last output:\n${this.app?.output().slice(-4000) ?? ''}`);
    });
    return Date.now() - from;
  }

  /** SIGTERM while cards are posted: the stopping process unlocks what it had taken; the next one posts the rest. */
  async sigterm(): Promise<Resumed> {
    if (!this.app) await this.startApp();
    const keys = await this.newCards('term');
    await waitFor(() => Promise.resolve(this.posted(keys) >= 1), 120_000, 'the first card');
    const code = await this.app!.stop();
    assert.equal(code, 0, `a clean stop: ${this.app!.output().slice(-4000)}`);
    const left = keys.length - this.posted(keys);
    const from = Date.now();
    const startMs = await this.startApp();
    return { keys, left, startMs, resumeMs: await this.finished(keys, from) };
  }

  /** kill -9 while follow-ups are posted and agents' replies are delivered: a dead worker's locks end after one lifetime. */
  async killApp(): Promise<Resumed> {
    if (!this.app) await this.startApp();
    const conversations = await this.newCards('kill');
    await this.finished(conversations, Date.now());
    const threads = conversations.map((_, i) => `kill-${i}`);
    const followUps = threads.map((t) => ({ id: `${t}-2`, thread: t, text: 'it shows E42 now' }));
    await this.ingest(followUps);
    for (const [i, key] of conversations.slice(0, Math.ceil(this.batch / 2)).entries()) await this.agentReplies(key, `Sorry Jo (${i}), a new unit is on its way`);
    const followUpKeys = (await MessageModel.find({ externalId: { $in: followUps.map((f) => f.id) } }, { _id: 1 }).lean()).map((m) => `message:${String(m._id)}`);
    assert.equal(followUpKeys.length, this.batch);
    const keys = [...conversations, ...followUpKeys];
    await waitFor(() => Promise.resolve(this.posted(followUpKeys) + this.delivered() >= 1), 120_000, 'the first follow-up or reply');
    await killApp(this.app!);
    const left = keys.length + this.replies.length - this.posted(keys) - this.delivered();
    const from = Date.now();
    const startMs = await this.startApp();
    const allSent = async () => this.delivered() === this.replies.length && (await MessageModel.countDocuments({ direction: 'outbound', 'delivery.state': 'sent' })) === this.replies.length;
    return { keys, left, startMs, resumeMs: await this.finished(keys, from, allSent) };
  }

  /** kill -9 of FerretDB and PostgreSQL while cards are posted, then a start on the same data folder; the app stays up. */
  async killDatabase(): Promise<Resumed> {
    if (!this.app) await this.startApp();
    const keys = await this.newCards('dbkill');
    await waitFor(() => Promise.resolve(this.posted(keys) >= 1), 120_000, 'the first card');
    const { ferretdb, postgres } = this.db!.pids;
    for (const pid of [ferretdb, postgres]) process.kill(pid, 'SIGKILL');
    const left = keys.length - this.posted(keys);
    await this.db!.stop(); // reaps the two and frees the data folder's lock, as the process that ran them would
    await sleep(1000);
    await this.startDb();
    const from = Date.now();
    return { keys, left, startMs: 0, resumeMs: await this.finished(keys, from) };
  }

  /** An agent answers in the card's thread; Switchboard sends it to the webhook's receiver. */
  private async agentReplies(conversationKey: string, text: string): Promise<void> {
    const card = this.slack.messages(ONE_CHANNEL).find((m) => JSON.stringify(m.metadata ?? {}).includes(conversationKey));
    assert.ok(card, `the card of ${conversationKey}`);
    const written = this.slack.addMessage(ONE_CHANNEL, { user: AGENT, text, thread_ts: card.ts });
    const event = eventCallback({ event: messageEvent({ channel: ONE_CHANNEL, user: AGENT, text, ts: written.ts, thread_ts: card.ts }) });
    const { rawBody, headers } = signedSlackBody(SLACK_SIGNING_SECRET, event);
    assert.equal((await fetch(`${this.app!.base}/slack/events`, { method: 'POST', headers, body: rawBody })).status, 200);
    this.replies.push(text);
  }
}
