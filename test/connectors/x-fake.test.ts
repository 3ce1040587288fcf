import assert from 'node:assert/strict';
import { startFakeXApi } from '../fakes/x-api';
import type { FakeXApi } from '../fakes/x-api';

/** The fake itself, over plain fetch: X's error shapes and headers, which the connector tests rely on. */
describe('fake X API', () => {
  let fake: FakeXApi;
  beforeEach(async () => {
    fake = await startFakeXApi({ rateLimit: 2 });
  });
  afterEach(() => fake.close());

  const get = (path: string, auth = 'Bearer t'): Promise<Response> => fetch(`${fake.url}${path}`, { headers: { authorization: auth } });

  it('answers 401 in X\'s problem shape without an Authorization header, with rate-limit headers', async () => {
    const res = await fetch(`${fake.url}/2/users/me`);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.deepEqual(await res.json(), { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 });
    assert.ok(Number(res.headers.get('x-rate-limit-reset')) > Date.now() / 1000);
    assert.equal(fake.requests[0]?.auth, 'none');
  });

  it('rejects max_results outside 5..100 on mentions with an invalid-request body', async () => {
    const res = await get(`/2/users/${fake.me.id}/mentions?max_results=2`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { type: string; errors: { parameters: Record<string, string[]> }[] };
    assert.equal(body.type, 'https://api.x.com/2/problems/invalid-request');
    assert.deepEqual(body.errors[0]?.parameters, { max_results: ['2'] });
  });

  it('counts down x-rate-limit-remaining and answers 429 itself when the window is used up', async () => {
    assert.equal((await get('/2/users/me')).headers.get('x-rate-limit-remaining'), '1');
    assert.equal((await get('/2/users/me')).headers.get('x-rate-limit-remaining'), '0');
    const limited = await get('/2/users/me');
    assert.equal(limited.status, 429);
    assert.equal(((await limited.json()) as { title: string }).title, 'Too Many Requests');
  });

  it('answers the optional shapes on demand: meta, data, includes or next_token left out, errors[] with or without data', async () => {
    const jane = fake.addUser('jane_doe');
    fake.addMention({ from: jane });
    const path = `/2/users/${fake.me.id}/mentions?expansions=author_id`;
    const body = async (): Promise<Record<string, unknown>> => (await (await get(path)).json()) as Record<string, unknown>;
    fake.reshapeNext('GET /2/users/:id/mentions', 'no-meta');
    assert.deepEqual(Object.keys(await body()).sort(), ['data', 'includes']);
    fake.reshapeNext('GET /2/users/:id/mentions', 'errors-only');
    const refused = (await body()) as { errors: { type: string }[] };
    assert.deepEqual([Object.keys(refused), refused.errors[0]?.type], [['errors'], 'https://api.x.com/2/problems/resource-not-found']);
  });

  it('429 without x-rate-limit-reset when told so', async () => {
    fake.failNext('GET /2/users/me', { status: 429, resetAt: null });
    const res = await get('/2/users/me');
    assert.deepEqual([res.status, res.headers.get('x-rate-limit-reset'), res.headers.get('x-rate-limit-remaining')], [429, null, '0']);
  });

  it('returns only the fields asked for, and includes.users for expansions=author_id', async () => {
    const jane = fake.addUser('jane_doe');
    const post = fake.addMention({ from: jane });
    const plain = (await (await get(`/2/users/${fake.me.id}/mentions`)).json()) as { data: object[]; includes?: unknown };
    assert.deepEqual(plain.data[0], { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] });
    assert.equal(plain.includes, undefined);
    const full = (await (await get(`/2/users/${fake.me.id}/mentions?expansions=author_id&tweet.fields=conversation_id`)).json()) as {
      data: { author_id?: string; conversation_id?: string }[];
      includes: { users: { username: string }[] };
    };
    assert.equal(full.data[0]?.conversation_id, post.id);
    assert.equal(full.data[0]?.author_id, jane.id);
    assert.equal(full.includes.users[0]?.username, 'jane_doe');
  });
});

describe('fake X API: the account\'s posts and one DM conversation', () => {
  let fake: FakeXApi;
  beforeEach(async () => {
    fake = await startFakeXApi({ rateLimit: 4 });
  });
  afterEach(() => fake.close());

  const get = (path: string): Promise<Response> => fetch(`${fake.url}${path}`, { headers: { authorization: 'Bearer t' } });
  const posts = (query = ''): Promise<Response> => get(`/2/users/${fake.me.id}/tweets${query}`);
  type Page = { data?: { id: string; referenced_tweets?: unknown }[]; meta: { result_count: number; next_token?: string } };

  it('lists only the user\'s own posts, newest first, with replied_to when asked; the posts it created show up', async () => {
    const jane = fake.addUser('jane_doe');
    const mention = fake.addMention({ from: jane });
    const own = fake.state.addPost(fake.me, 'a post of our own');
    const created = (await (await fetch(`${fake.url}/2/tweets`, {
      method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'a reply', reply: { in_reply_to_tweet_id: mention.id } }),
    })).json()) as { data: { id: string } };

    const page = (await (await posts('?tweet.fields=referenced_tweets,created_at&exclude=retweets')).json()) as Page;
    assert.deepEqual(page.data?.map((t) => t.id), [created.data.id, own.id]);
    assert.deepEqual(page.data?.[0]?.referenced_tweets, [{ type: 'replied_to', id: mention.id }]);
    const noReplies = (await (await posts('?exclude=replies')).json()) as Page;
    assert.deepEqual(noReplies.data?.map((t) => t.id), [own.id]);
  });

  it('filters by start_time (inclusive, whole seconds) and end_time, and pages with next_token', async () => {
    const at = (iso: string) => fake.state.addPost(fake.me, iso, undefined, new Date(iso));
    at('2026-03-01T09:59:59.900Z');
    const first = at('2026-03-01T10:00:00.400Z');
    for (let i = 1; i <= 6; i += 1) at(`2026-03-01T10:0${i}:00.000Z`);
    // 10:00:00.999 counts as 10:00:00
    const window = '?start_time=2026-03-01T10:00:00.999Z&end_time=2026-03-01T10:06:00Z&max_results=5';
    const page1 = (await (await posts(window)).json()) as Page;
    assert.equal(page1.meta.result_count, 5);
    const page2 = (await (await posts(`${window}&pagination_token=${page1.meta.next_token}`)).json()) as Page;
    assert.deepEqual(page2.data?.map((t) => t.id), [first.id], 'the 10:06 post is past end_time, the 09:59:59 one before start_time');
  });

  it('answers 400 for max_results below 5, a bad start_time, start_time after end_time and an unknown exclude, within the rate limit', async () => {
    for (const query of ['?max_results=4', '?start_time=yesterday', '?start_time=2026-03-02T00:00:00Z&end_time=2026-03-01T00:00:00Z', '?exclude=likes']) {
      const res = await posts(query);
      assert.equal(res.status, 400, query);
      assert.equal(((await res.json()) as { type: string }).type, 'https://api.x.com/2/problems/invalid-request');
    }
    const limited = await posts();
    assert.equal(limited.status, 429, 'the fifth request of a window of four');
    assert.equal(limited.headers.get('x-rate-limit-remaining'), '0');
  });

  it('lists the one-to-one DM conversation with a participant, including DMs the account sent', async () => {
    const jane = fake.addUser('jane_doe');
    const bob = fake.addUser('bob');
    const fromJane = fake.addDm({ from: jane, text: 'hi' });
    fake.addDm({ from: bob, text: 'not this one' });
    const sent = (await (await fetch(`${fake.url}/2/dm_conversations/with/${jane.id}/messages`, {
      method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hello jane' }),
    })).json()) as { data: { dm_event_id: string } };

    const page = (await (await get(`/2/dm_conversations/with/${jane.id}/dm_events?dm_event.fields=sender_id,created_at`)).json()) as {
      data: { id: string; sender_id: string; text: string }[];
    };
    assert.deepEqual(page.data.map((e) => [e.id, e.sender_id, e.text]), [[sent.data.dm_event_id, fake.me.id, 'hello jane'], [fromJane.id, jane.id, 'hi']]);
    assert.equal((await get('/2/dm_conversations/with/jane/dm_events')).status, 400);
  });

  it('injects failures on the new routes with rate-limit headers, and afterAccepting keeps what the endpoint did', async () => {
    fake.failNext('GET /2/dm_conversations/with/:participant_id/dm_events', { status: 503 });
    const failed = await get(`/2/dm_conversations/with/${fake.me.id}/dm_events`);
    assert.equal(failed.status, 503);
    assert.ok(failed.headers.get('x-rate-limit-limit'));

    const jane = fake.addUser('jane_doe');
    const mention = fake.addMention({ from: jane });
    fake.failNext('POST /2/tweets', { status: 503, afterAccepting: true });
    const lost = await fetch(`${fake.url}/2/tweets`, {
      method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'accepted', reply: { in_reply_to_tweet_id: mention.id } }),
    });
    assert.equal(lost.status, 503);
    assert.deepEqual(fake.createdPosts.map((p) => p.text), ['accepted']);

    fake.failNext('GET /2/users/:id/tweets', { status: 'drop' });
    await assert.rejects(posts(), /fetch failed/);
    assert.equal((await posts()).status, 200);
  });
});
