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
