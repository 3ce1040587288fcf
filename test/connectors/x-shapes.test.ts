import assert from 'node:assert/strict';
import { AppError, ConnectorAuthError, ConnectorRateLimitError } from '../../src/domain/errors';
import type { FakeUser } from '../fakes/x-api';
import { rejectionOf, startXWorld, useXWorld } from './x-setup';
import type { XWorld } from './x-setup';

const MENTIONS = 'GET /2/users/:id/mentions';
const DMS = 'GET /2/dm_events';
const DM_FORBIDDEN = 'https://api.x.com/2/problems/oauth1-permissions';

/** Every answer shape X's OpenAPI description allows, through the real twitter-api-v2 client. */
describe('X connector: answer shapes (real twitter-api-v2 against the fake X API)', () => {
  const world = useXWorld();
  let w: XWorld;
  let jane: FakeUser;
  beforeEach(() => ({ w, jane } = world));

  it('an empty first page ({"meta":{"result_count":0}}) stores no cursor, and the next poll asks without since_id', async () => {
    const empty = await w.connector.pullTimeline('mentions', {});
    assert.deepEqual([empty.messages.length, empty.cursor], [0, {}]);
    const post = w.fake.addMention({ from: jane });
    const next = await w.connector.pullTimeline('mentions', empty.cursor);
    assert.deepEqual(next.messages.map((m) => m.externalId), [post.id]);
    assert.deepEqual(next.cursor, { mentionsSinceId: post.id });
    assert.deepEqual(w.fake.requestsTo(MENTIONS).map((r) => r.query.since_id), [undefined, undefined]);
  });

  it('a cursor of null or garbage is treated as absent: X never sees since_id=null', async () => {
    const post = w.fake.addMention({ from: jane });
    const stored = { mentionsSinceId: null, dmLastEventId: 'undefined' } as unknown as Record<string, string>;
    const { messages, cursor } = await w.connector.pull(stored);
    assert.deepEqual(messages.map((m) => m.externalId), [post.id]);
    assert.deepEqual(cursor, { mentionsSinceId: post.id });
    assert.equal(w.fake.requestsTo(MENTIONS)[0]?.query.since_id, undefined);
  });

  it('meta absent: the posts are read and the cursor is the highest id read', async () => {
    const posts = [w.fake.addMention({ from: jane }), w.fake.addMention({ from: jane })];
    w.fake.reshapeNext(MENTIONS, 'no-meta');
    const { messages, cursor } = await w.connector.pullTimeline('mentions', {});
    assert.equal(messages.length, 2);
    assert.equal(cursor.mentionsSinceId, posts[1]?.id);
  });

  it('meta without newest_id: the highest id read is the next since_id', async () => {
    const first = w.fake.addMention({ from: jane });
    const { cursor } = await w.connector.pullTimeline('mentions', {});
    const newer = [w.fake.addMention({ from: jane }), w.fake.addMention({ from: jane })];
    w.fake.reshapeNext(MENTIONS, 'no-newest-id');
    const next = await w.connector.pullTimeline('mentions', cursor);
    assert.deepEqual(next.messages.map((m) => m.externalId).sort(), newer.map((p) => p.id).sort());
    assert.equal(next.cursor.mentionsSinceId, newer[1]?.id);
    assert.notEqual(next.cursor.mentionsSinceId, first.id);
  });

  it('data absent on a later poll keeps the stored cursor', async () => {
    const post = w.fake.addMention({ from: jane });
    const { cursor } = await w.connector.pullTimeline('mentions', {});
    w.fake.reshapeNext(MENTIONS, 'no-data');
    const next = await w.connector.pullTimeline('mentions', cursor);
    assert.deepEqual([next.messages.length, next.cursor.mentionsSinceId], [0, post.id]);
  });

  it('includes absent: the post is kept, its author known by id only', async () => {
    w.fake.addMention({ from: jane });
    w.fake.reshapeNext(MENTIONS, 'no-includes');
    const { messages } = await w.connector.pullTimeline('mentions', {});
    assert.deepEqual(messages[0]?.author, { id: jane.id });
  });

  it('next_token absent: the poll stops after that page', async () => {
    const { cursor } = await w.connector.pullTimeline('mentions', { mentionsSinceId: w.fake.addMention({ from: jane }).id });
    for (let i = 0; i < 8; i += 1) w.fake.addMention({ from: jane });
    w.fake.reshapeNext(MENTIONS, 'no-next-token');
    const next = await w.connector.pullTimeline('mentions', cursor);
    assert.equal(next.messages.length, 5);
    assert.equal(w.fake.requestsTo(MENTIONS).length, 2);
  });

  it('errors[] beside data: the data is kept and the problem reported', async () => {
    w.fake.addMention({ from: jane });
    w.fake.reshapeNext(MENTIONS, 'partial-errors');
    const result = await w.connector.pullTimeline('mentions', {});
    assert.equal(result.messages.length, 1);
    assert.match(result.problems?.[0] ?? '', /Could not find user/);
  });

  it('errors[] alone is a refusal: connector_refused naming the problem', async () => {
    w.fake.reshapeNext(MENTIONS, 'errors-only');
    const err = await rejectionOf(w.connector.pullTimeline('mentions', {}));
    assert.ok(err instanceof AppError, String(err));
    assert.equal(err.code, 'connector_refused');
    assert.match(err.message, /Could not find user/);
  });

  it('DM endpoint 403 (no DM permission): the DM timeline fails, mentions still read', async () => {
    w.fake.addMention({ from: jane });
    w.fake.addDm({ from: jane });
    w.fake.failNext(DMS, { status: 403, times: Infinity, type: DM_FORBIDDEN, detail: 'Your app is not permitted to access Direct Messages' });
    assert.ok((await rejectionOf(w.connector.pullTimeline('dms', {}))) instanceof ConnectorAuthError);
    assert.equal((await w.connector.pullTimeline('mentions', {})).messages.length, 1);
  });

  it('429 without x-rate-limit-reset waits the 15-minute window', async () => {
    const before = Date.now();
    w.fake.failNext(MENTIONS, { status: 429, resetAt: null });
    const err = await rejectionOf(w.connector.pullTimeline('mentions', {}));
    assert.ok(err instanceof ConnectorRateLimitError, String(err));
    assert.ok(err.resetAt.getTime() >= before + 15 * 60_000, err.resetAt.toISOString());
  });

  it('bills each item read: mentions as owned reads, DM events as DM reads', async () => {
    const post = w.fake.addMention({ from: jane });
    const dm = w.fake.addDm({ from: jane });
    const { billed } = await w.connector.pull(null);
    assert.deepEqual(billed, [{ kind: 'owned_post_read', id: post.id }, { kind: 'dm_event_read', id: dm.id }]);
    const notOwner = await startXWorld({ ownsApp: false });
    notOwner.fake.addMention({ from: notOwner.fake.addUser('bob') });
    assert.equal((await notOwner.connector.pull(null)).billed?.[0]?.kind, 'post_read');
    await notOwner.fake.close();
  });
});
