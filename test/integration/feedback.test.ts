import assert from 'node:assert/strict';
import type { Agenda } from 'agenda';
import express, { type Express } from 'express';
import request from 'supertest';
import { errorHandler } from '../../src/api/errors';
import { feedbackRoutes } from '../../src/api/routes/feedback';
import { buildDigest, digestText } from '../../src/feedback/digest';
import { ingestMessage } from '../../src/ingest/pipeline';
import { DIGEST_JOB, scheduleDigest } from '../../src/jobs/digest';
import { createLogger } from '../../src/runtime/logger';
import { ConversationModel } from '../../src/store/models/conversation';
import { bearer, testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';
import { inbound } from '../support/factories';
import { withoutJoiners } from '../support/mrkdwn';

const FROM = '2025-03-10T00:00:00Z';
const TO = '2025-03-17T00:00:00Z';

/** The feedback router behind the real auth and error handler, as createApp mounts it under /api. */
function feedbackApp(): Express {
  const app = express();
  app.use('/api', feedbackRoutes());
  app.use(errorHandler(createLogger('silent')));
  return app;
}

describe('product feedback digest (FerretDB)', () => {
  useTestDatabase();
  const app = feedbackApp();
  const router = testRouter();
  const ids: Record<string, string> = {};
  let agent: string;

  /** 'feature' routes to product with the test classifier, 'broken' to support; `tagged` marks it as product feedback. */
  async function say(key: string, at: string, text: string, extra: { url?: string; tagged?: boolean } = {}): Promise<void> {
    const { conversationId } = await ingestMessage(inbound({ text, createdAt: new Date(at), channel: extra.url ? 'x' : 'webhook', url: extra.url }), { router });
    if (extra.tagged) await ConversationModel.updateOne({ _id: conversationId }, { $set: { productFeedback: true } });
    ids[key] = conversationId;
  }

  before(async () => {
    await clearCollections();
    agent = await bearer('agent');
    // the week before
    await say('p1', '2025-03-03T09:00:00Z', 'feature: dark mode please, the screen is too bright at night', { url: 'https://x.com/lena/status/1' });
    await say('p2', '2025-03-04T09:00:00Z', 'feature request: a dark mode for the web app');
    await say('p3', '2025-03-05T09:00:00Z', 'the dark mode toggle is broken', { tagged: true });
    await say('p4', '2025-03-06T09:00:00Z', 'feature: Home Assistant integration via Matter');
    // the week asked for
    await say('c1', '2025-03-10T08:00:00Z', 'feature: dark mode would save my eyes');
    await say('c2', '2025-03-11T08:00:00Z', 'dark mode is broken on android', { tagged: true });
    await say('c3', '2025-03-12T08:00:00Z', 'feature: Home Assistant integration please', { url: 'https://x.com/kai/status/3' });
    await say('c4', '2025-03-13T08:00:00Z', 'feature: Matter support for Home Assistant');
    await say('c5', '2025-03-14T08:00:00Z', 'Home Assistant via Matter feature <!channel>', { url: 'javascript:alert(1)' });
    await say('c6', '2025-03-15T08:00:00Z', 'feature: weekly energy report by email');
    await say('c7', '2025-03-16T08:00:00Z', 'feature: energy report as PDF');
    // not feedback, or outside both weeks
    await say('e1', '2025-03-12T10:00:00Z', 'my sensor is broken');
    await say('e2', '2025-03-17T00:00:00Z', 'feature: dark mode');
    await say('e3', '2025-03-02T23:59:00Z', 'feature: dark mode');
    // the only feedback of the last 7 days
    await say('now', new Date(Date.now() - 24 * 60 * 60_000).toISOString(), 'feature: widgets on the lock screen');
  });

  it('groups the period into themes with trend against the period before and links to the posts', async () => {
    const res = await request(app).get(`/api/feedback/digest?from=${FROM}&to=${TO}`).set('Authorization', agent).expect(200);
    const d = res.body.data;
    assert.deepEqual([d.from, d.to, d.total], ['2025-03-10T00:00:00.000Z', TO.replace('Z', '.000Z'), 7]);
    assert.deepEqual(d.previous, { from: '2025-03-03T00:00:00.000Z', to: '2025-03-10T00:00:00.000Z', total: 4 });
    const summary = d.themes.map((t: Record<string, unknown>) => [t.label, t.count, t.previousCount, t.trend, t.change]);
    assert.deepEqual(summary, [
      ['home assistant, matter', 3, 1, 'up', 2],
      ['dark mode', 2, 3, 'down', -1],
      ['energy report', 2, 0, 'new', 2],
    ]);
    const [assistant, dark] = d.themes;
    assert.deepEqual(dark.conversations.map((c: { id: string }) => c.id), [ids.c1, ids.c2]);
    assert.deepEqual(assistant.conversations.map((c: { url: string | null; channel: string }) => [c.url, c.channel]), [
      ['https://x.com/kai/status/3', 'x'],
      [null, 'webhook'],
      [null, 'x'],
    ]);
    assert.equal(assistant.conversations[0].preview, 'feature: Home Assistant integration please');
  });

  it('links a conversation without a post under linkBase, and lists at most limitThemes', async () => {
    const digest = await buildDigest({ from: new Date(FROM), to: new Date(TO), limitThemes: 1, linkBase: 'https://switchboard.example/conversations/' });
    assert.equal(digest.themes.length, 1);
    assert.equal(digest.total, 7);
    // every product conversation is accounted for: the listed themes plus the ones left out
    assert.equal(digest.themes[0]!.count + digest.more.conversations, 7);
    assert.ok(digest.more.themes >= 1, 'the themes not listed are counted');
    const all = await buildDigest({ from: new Date(FROM), to: new Date(TO), limitThemes: 50 });
    assert.deepEqual([all.more, all.themes.reduce((n, t) => n + t.count, 0)], [{ themes: 0, conversations: 0 }, 7]);
    assert.equal(all.themes.length, digest.themes.length + digest.more.themes);
    const urls = digest.themes[0]!.conversations.map((c) => c.url);
    assert.deepEqual(urls, ['https://x.com/kai/status/3', `https://switchboard.example/conversations/${ids.c4}`, `https://switchboard.example/conversations/${ids.c5}`]);
  });

  it('writes Slack text with customer words escaped and links only to http(s) posts', async () => {
    const text = withoutJoiners(digestText(await buildDigest({ from: new Date(FROM), to: new Date(TO) })));
    assert.ok(!text.includes('<!channel>'), text);
    assert.match(text, /• x: Home Assistant via Matter feature &lt;!channel&gt;/);
    assert.match(text, /• <https:\/\/x\.com\/kai\/status\/3\|x>: feature: Home Assistant integration please/);
    assert.match(text, /^\*Product feedback\* 2025-03-10 – 2025-03-17: 7 conversations \(4 the period before\)/);
    assert.match(text, /\*1\. home assistant, matter\* — 3 \(↑ \+2, was 1\)\n/);
    assert.match(text, /\*2\. dark mode\* — 2 \(↓ −1, was 3\)\n/);
  });

  it('defaults to the last 7 days', async () => {
    const res = await request(app).get('/api/feedback/digest').set('Authorization', agent).expect(200);
    assert.equal(res.body.data.total, 1);
    assert.deepEqual(res.body.data.themes[0].conversations.map((c: { id: string }) => c.id), [ids.now]);
  });

  it('answers 400 naming the field for a bad period, 401 without a token, 403 for an ingest token', async () => {
    const bad = await request(app).get('/api/feedback/digest?from=yesterday').set('Authorization', agent).expect(400);
    assert.deepEqual(bad.body.error.details.map((e: { field: string }) => e.field), ['from']);
    const backwards = await request(app).get(`/api/feedback/digest?from=${TO}&to=${FROM}`).set('Authorization', agent).expect(400);
    assert.match(backwards.body.error.message, /from: must be before to/);
    const unknown = await request(app).get('/api/feedback/digest?since=2025-01-01T00:00:00Z').set('Authorization', agent).expect(400);
    assert.equal(unknown.body.error.code, 'validation_failed');
    await request(app).get('/api/feedback/digest').expect(401);
    await request(app).get('/api/feedback/digest').set('Authorization', await bearer('ingest')).expect(403);
  });

  it('schedules a job that posts the digest of the period just ended', async () => {
    const jobs = new Map<string, (job: unknown) => Promise<void>>();
    const schedules: unknown[][] = [];
    const agenda = {
      define: (name: string, fn: (job: unknown) => Promise<void>) => void jobs.set(name, fn),
      every: (...args: unknown[]) => Promise.resolve(void schedules.push(args)),
    } as unknown as Agenda;
    const posted: string[] = [];
    await scheduleDigest(agenda, { post: (text) => Promise.resolve(void posted.push(text)), every: '0 9 * * 1', timezone: 'Europe/Berlin' });
    assert.deepEqual(schedules, [['0 9 * * 1', DIGEST_JOB, undefined, { timezone: 'Europe/Berlin' }]]);
    // the job renews its lock while it builds the digest
    await jobs.get(DIGEST_JOB)!({ touch: () => Promise.resolve() });
    assert.equal(posted.length, 1);
    assert.match(posted[0]!, /^\*Product feedback\* .*: 1 conversation \(0 the period before\)\n\*1\. widgets?, lock screen\* — 1 \(new\)/);
  });
});
