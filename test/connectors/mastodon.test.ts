import assert from 'node:assert/strict';
import { ConnectorAuthError, ConnectorRateLimitError, ConnectorUnavailableError } from '../../src/domain/errors';
import { rejectionOf } from './x-setup';
import { startMastodonWorld, useMastodonWorld } from './mastodon-setup';

const NOTIFICATIONS = 'GET /api/v1/notifications';
const CONTEXT = 'GET /api/v1/statuses/:id/context';

describe('Mastodon connector: pull (real masto against the fake instance)', () => {
  const ctx = useMastodonWorld();

  it('maps a mention: plain text from the HTML, author handle, link, thread = the conversation root', async () => {
    const { w, anna } = ctx;
    const root = w.fake.mention(anna, '@kestrelhome my heater is broken\nsince Monday, see https://social.example/photos/heater-123456789012345678901234567890');
    const ours = w.fake.state.addStatus({ from: w.fake.me, text: '@anna@social.example sorry, checking', inReplyTo: root.id });
    const followUp = w.fake.mention(anna, '@kestrelhome any news?', { inReplyTo: ours.id });

    const { messages, cursor } = await w.connector.pullTimeline('mentions', {});
    assert.deepEqual(messages.map((m) => m.externalId).sort(), [root.id, followUp.id].sort());
    const first = messages.find((m) => m.externalId === root.id);
    assert.deepEqual(first, {
      channel: 'mastodon', account: 'kestrel-social', externalId: root.id, threadKey: root.id, kind: 'mention',
      author: { id: anna.id, handle: '@anna@social.example', name: 'Anna K', profileUrl: 'https://social.example/@anna' },
      text: '@kestrelhome my heater is broken\nsince Monday, see https://social.example/photos/heater-123456789012345678901234567890',
      createdAt: new Date(root.created_at), url: root.url,
    });
    const reply = messages.find((m) => m.externalId === followUp.id);
    assert.equal(reply?.threadKey, root.id, 'a reply to our reply joins the conversation of its root');
    assert.equal(reply?.inReplyToExternalId, ours.id);
    assert.ok(cursor.mentionsMinId);
    const [req] = w.fake.requestsTo(NOTIFICATIONS);
    assert.deepEqual(req?.query.getAll('types[]'), ['mention']);
  });

  it('takes a direct status as a DM and skips other notification types and deleted statuses', async () => {
    const { w, anna } = ctx;
    w.fake.state.addOther('favourite', anna);
    const dm = w.fake.mention(anna, '@kestrelhome a private question about my invoice', { visibility: 'direct' });
    w.fake.state.notifications.push({ id: '99999', type: 'mention', created_at: new Date().toISOString(), account: anna });
    const { messages, cursor } = await w.connector.pullTimeline('mentions', {});
    assert.deepEqual(messages.map((m) => [m.externalId, m.kind]), [[dm.id, 'dm']]);
    assert.equal(cursor.mentionsMinId, '99999', 'the cursor passes what it skipped');
  });

  it('a brand-new account: an empty list gives no cursor; then only the newest page is read', async () => {
    const { w, anna } = ctx;
    const empty = await w.connector.pullTimeline('mentions', {});
    assert.deepEqual(empty, { messages: [], cursor: {} });
    for (let i = 0; i < 12; i += 1) w.fake.mention(anna, `@kestrelhome old ${i}`);
    const first = await w.connector.pullTimeline('mentions', {});
    assert.equal(first.messages.length, 5);
    assert.equal(w.fake.requestsTo(NOTIFICATIONS).length, 2, 'one request for the first page, no paging into the history');
  });

  it('pages forward from min_id through the Link header, returning nothing twice', async () => {
    const { w, anna } = ctx;
    w.fake.mention(anna, '@kestrelhome first');
    const first = await w.connector.pullTimeline('mentions', {});
    for (let i = 0; i < 12; i += 1) w.fake.mention(anna, `@kestrelhome new ${i}`);
    const second = await w.connector.pullTimeline('mentions', first.cursor);
    assert.deepEqual(second.messages.map((m) => m.text).sort(), Array.from({ length: 12 }, (_, i) => `@kestrelhome new ${i}`).sort());
    const asked = w.fake.requestsTo(NOTIFICATIONS).slice(1);
    assert.equal(asked[0]?.query.get('min_id'), first.cursor.mentionsMinId);
    assert.ok(asked.length >= 3, 'followed rel="prev" until an empty page without a Link header');
    const third = await w.connector.pullTimeline('mentions', second.cursor);
    assert.deepEqual(third, { messages: [], cursor: second.cursor });
  });

  it('asks the instance for the root of a reply to a status it has not seen, once per conversation', async () => {
    const { w, anna } = ctx;
    const bob = w.fake.addAccount('bob', 'Bob');
    const root = w.fake.state.addStatus({ from: bob, text: 'our new heater is out', notify: false });
    const middle = w.fake.state.addStatus({ from: bob, text: 'more in the thread', inReplyTo: root.id, notify: false });
    const mention = w.fake.mention(anna, '@kestrelhome does it work with solar?', { inReplyTo: middle.id });
    const later = w.fake.mention(anna, '@kestrelhome hello?', { inReplyTo: mention.id });
    const { messages } = await w.connector.pullTimeline('mentions', {});
    assert.deepEqual(messages.map((m) => m.threadKey), [root.id, root.id]);
    assert.equal(w.fake.requestsTo(CONTEXT).length, 1, 'the later reply found its root in what this pull saw');
    assert.ok(later);
  });

  it('keeps optional fields optional: no url, no display name, no in_reply_to_id', async () => {
    const w = await startMastodonWorld({}, { minimal: true });
    try {
      const carl = w.fake.addAccount('carl');
      const status = w.fake.mention(carl, '@kestrelhome hi');
      const { messages } = await w.connector.pullTimeline('mentions', {});
      assert.deepEqual(messages[0]?.author, { id: carl.id, handle: '@carl', name: 'carl' });
      assert.equal(messages[0]?.url, status.uri);
      assert.equal(messages[0]?.threadKey, status.id);
    } finally {
      await w.fake.close();
    }
  });

  it('turns 429 into a wait until X-RateLimit-Reset, or five minutes without it', async () => {
    const { w } = ctx;
    const resetAt = new Date(Date.now() + 120_000);
    w.fake.failNext(NOTIFICATIONS, { status: 429, resetAt });
    const limited = await rejectionOf(w.connector.pullTimeline('mentions', {}));
    assert.ok(limited instanceof ConnectorRateLimitError);
    assert.equal(limited.resetAt.getTime(), resetAt.getTime());

    w.fake.failNext(NOTIFICATIONS, { status: 429, resetAt: null });
    const before = Date.now();
    const bare = await rejectionOf(w.connector.pullTimeline('mentions', {}));
    assert.ok(bare instanceof ConnectorRateLimitError);
    assert.ok(bare.resetAt.getTime() >= before + 290_000, 'backs off one rate-limit window');
  });

  it('401 is an auth error that says what was refused; 5xx, a dropped connection and a slow answer are transient', async () => {
    const { w } = ctx;
    w.fake.tokenValid = false;
    const refused = await rejectionOf(w.connector.pullTimeline('mentions', {}));
    assert.ok(refused instanceof ConnectorAuthError);
    assert.match(refused.message, /refused the access token \(401\): The access token is invalid/);
    w.fake.tokenValid = true;

    w.fake.failNext(NOTIFICATIONS, { status: 503 });
    assert.ok((await rejectionOf(w.connector.pullTimeline('mentions', {}))) instanceof ConnectorUnavailableError);
    w.fake.failNext(NOTIFICATIONS, { status: 'drop' });
    const dropped = await rejectionOf(w.connector.pullTimeline('mentions', {}));
    assert.ok(dropped instanceof ConnectorUnavailableError);
    assert.match(dropped.message, /unreachable/);
    w.fake.latencyMs = 2500;
    const slow = await rejectionOf(w.connector.pullTimeline('mentions', {}));
    assert.ok(slow instanceof ConnectorUnavailableError);
    assert.match(slow.message, /did not answer in time/);
  });

  it('a failing second page throws: the caller keeps its cursor and reads the first page again', async () => {
    const { w, anna } = ctx;
    w.fake.mention(anna);
    const first = await w.connector.pullTimeline('mentions', {});
    for (let i = 0; i < 8; i += 1) w.fake.mention(anna, `@kestrelhome more ${i}`);
    w.fake.failNext(NOTIFICATIONS, { status: 500, after: 1 });
    assert.ok((await rejectionOf(w.connector.pullTimeline('mentions', first.cursor))) instanceof ConnectorUnavailableError);
    const retried = await w.connector.pullTimeline('mentions', first.cursor);
    assert.equal(retried.messages.length, 8);
  });
});
