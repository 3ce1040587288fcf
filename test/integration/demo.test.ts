import assert from 'node:assert/strict';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { createLogger } from '../../src/runtime/logger';
import { playDemoHistory, resetDemo } from '../../src/runtime/demo';
import { SlaClock } from '../../src/sla/clock';
import { ApiTokenModel } from '../../src/store/models/api-token';
import { ConversationModel } from '../../src/store/models/conversation';
import { ingestMessage } from '../../src/ingest/pipeline';
import { MessageModel } from '../../src/store/models/message';
import { bearer, seedDepartments, testRouter } from '../support/app';
import { clearCollections, useTestDatabase } from '../support/database';

const FILE = path.resolve('connectors/replay/example.jsonl');

describe('demo replay: a week of history first, then live messages', function () {
  this.timeout(120_000);
  useTestDatabase();
  const policyOf = (key: string) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla;
  const clock = new SlaClock(policyOf);
  const pipeline = { router: testRouter() };
  const logger = createLogger('silent');
  const app = createApp({ logger, pipeline, ingest: { maxBytes: 65536, maxBatch: 50 }, events: clock, sla: { policyOf } });

  before(async () => {
    await clearCollections();
    await seedDepartments();
  });

  it('plays the week once: backdated conversations, agent replies, corrections, resolutions; the SLA report then has numbers', async () => {
    const now = new Date();
    const played = await playDemoHistory({ file: FILE, days: 7, clock, pipeline, logger, now });
    assert.equal(played.played, true);
    assert.equal(played.messages, 150, 'half of the 300 lines');
    assert.equal(played.conversations, await ConversationModel.countDocuments({ account: 'demo' }), 'a few are follow-ups in a conversation');
    assert.ok(played.replies > 100 && played.corrections > 0 && played.resolved > 50, JSON.stringify(played));
    const oldest = await ConversationModel.findOne({ channel: 'replay' }).sort({ firstMessageAt: 1 }).lean();
    assert.ok(oldest && now.getTime() - oldest.firstMessageAt.getTime() > 6.5 * 86_400_000, 'it began about a week ago');
    const replies = await MessageModel.find({ account: 'demo', direction: 'outbound' }).lean();
    assert.ok(replies.every((r) => r.delivery?.state === 'sent' && r.sentAt < now));
    // a newcomer sees every channel: the replay account owns the Bluesky, Mastodon and e-mail lines too
    for (const channel of ['bluesky', 'mastodon', 'email']) {
      const shown = await ConversationModel.find({ channel, account: 'demo' }, { department: 1 }).lean();
      assert.ok(shown.length >= 3, `${channel}: ${shown.length} conversations`);
    }
    const application = await ConversationModel.findOne({ channel: 'email', account: 'demo', threadKey: 'demo-mail-t01' }).lean();
    assert.deepEqual([application?.department, application?.messageCount], ['hr', 2], 'the applicant\'s follow-up joins her conversation');

    const manager = await bearer('manager');
    const res = await request(app).get('/api/reports/sla').set('Authorization', manager).expect(200);
    const groups = res.body.data.groups as Array<{ key: string; volume: number; withinSla: { share: number | null }; firstResponse: { p50: number | null }; breaches: number }>;
    const support = groups.find((g) => g.key === 'support')!;
    assert.ok(support.volume > 10 && support.firstResponse.p50 !== null && support.withinSla.share !== null, JSON.stringify(support));
    assert.ok(support.withinSla.share > 0.4 && support.withinSla.share < 1, `some breaches, not all: ${support.withinSla.share}`);
    assert.ok(groups.reduce((n, g) => n + g.breaches, 0) > 0);
    const days = await request(app).get('/api/reports/sla/daily').set('Authorization', manager).expect(200);
    assert.ok((days.body.data as Array<{ volume: number }>).filter((d) => d.volume > 0).length >= 7, 'every day of the week has conversations');

    const again = await playDemoHistory({ file: FILE, days: 7, clock, pipeline, logger });
    assert.deepEqual([again.played, again.liveFrom], [false, 150], 'a second start plays no history and goes on live after it');
  });

  it('names the new channels in the inbox in English and German', async () => {
    const { catalogues } = (await request(app).get('/dashboard/i18n.json').expect(200)).body as { catalogues: Record<string, Record<string, string>> };
    const names = (l: string) => ['bluesky', 'mastodon', 'email'].map((c) => catalogues[l]?.[`dashboard.channel.${c}`]);
    assert.deepEqual(names('en'), ['Bluesky', 'Mastodon', 'E-mail']);
    assert.deepEqual(names('de'), ['Bluesky', 'Mastodon', 'E-Mail']);
  });

  it('npm run demo:reset deletes the demo and keeps the tokens; the next start plays the week again', async () => {
    const tokens = await ApiTokenModel.countDocuments();
    const conversations = await ConversationModel.countDocuments({ account: 'demo' });
    // a real Bluesky account's conversation is not the demo's
    const real = { channel: 'bluesky', account: 'kestrel-bsky', externalId: 'at://did:plc:abc/app.bsky.feed.post/1', threadKey: 't1', kind: 'mention' as const, author: { handle: '@ana.bsky.social' }, text: 'my order never came', createdAt: new Date() };
    await ingestMessage(real, pipeline);
    const reset = await resetDemo();
    assert.equal(reset.conversations, conversations);
    assert.equal(await ConversationModel.countDocuments({ account: 'demo' }), 0);
    assert.equal(await ConversationModel.countDocuments({ channel: 'bluesky', account: 'kestrel-bsky' }), 1);
    await ConversationModel.deleteMany({ account: 'kestrel-bsky' });
    await MessageModel.deleteMany({ account: 'kestrel-bsky' });
    assert.equal(await ApiTokenModel.countDocuments(), tokens);
    const played = await playDemoHistory({ file: FILE, days: 7, clock, pipeline, logger });
    assert.deepEqual([played.played, played.conversations], [true, conversations]);
  });
});
