import assert from 'node:assert/strict';
import { AppError, ConnectorAuthError, ConnectorRateLimitError, ConnectorUnavailableError, ValidationError } from '../../src/domain/errors';
import type { OutboundReply } from '../../src/domain/message';
import { rejectionOf } from './x-setup';
import { startMastodonWorld, useMastodonWorld } from './mastodon-setup';

const POST = 'POST /api/v1/statuses';
const INSTANCE = 'GET /api/v2/instance';

const replyTo = (id: string, text: string, extra: Partial<OutboundReply> = {}): OutboundReply => ({
  channel: 'mastodon', account: 'kestrel-social', threadKey: id, kind: 'mention', text, inReplyToExternalId: id, idempotencyKey: 'reply-1', ...extra,
});

describe('Mastodon connector: send and findSent (real masto against the fake instance)', () => {
  const ctx = useMastodonWorld();

  it('replies with the visibility of the customer\'s status, their handle in front, and our idempotency key', async () => {
    const { w, anna } = ctx;
    for (const visibility of ['public', 'unlisted', 'private'] as const) {
      const theirs = w.fake.mention(anna, '@kestrelhome help', { visibility });
      const sent = await w.connector.send(replyTo(theirs.id, 'We are on it.', { idempotencyKey: `key-${visibility}` }));
      const posted = w.fake.state.statuses.get(sent.externalId);
      assert.deepEqual([posted?.visibility, posted?.in_reply_to_id, posted?.source], [visibility, theirs.id, '@anna@social.example We are on it.']);
      assert.equal(sent.url, posted?.url);
    }
    assert.deepEqual(w.fake.requestsTo(POST).map((r) => r.idempotencyKey), ['key-public', 'key-unlisted', 'key-private']);
  });

  it('answers a direct status with a direct one, and never doubles a handle the agent already wrote', async () => {
    const { w, anna } = ctx;
    const dm = w.fake.mention(anna, '@kestrelhome private question', { visibility: 'direct' });
    const sent = await w.connector.send(replyTo(dm.id, 'Hi @anna@social.example, here is your invoice.', { kind: 'dm' }));
    const posted = w.fake.state.statuses.get(sent.externalId);
    assert.deepEqual([posted?.visibility, posted?.source], ['direct', 'Hi @anna@social.example, here is your invoice.']);
  });

  it('a retried send with the same Idempotency-Key posts once, even when the first answer was lost', async () => {
    const { w, anna } = ctx;
    const theirs = w.fake.mention(anna);
    w.fake.failNext(POST, { status: 'drop', afterAccepting: true });
    assert.ok((await rejectionOf(w.connector.send(replyTo(theirs.id, 'Sorry to hear that!')))) instanceof ConnectorUnavailableError);
    const again = await w.connector.send(replyTo(theirs.id, 'Sorry to hear that!'));
    assert.equal(w.fake.posted().length, 1);
    assert.equal(again.externalId, w.fake.posted()[0]?.id);
  });

  it('finds a reply whose answer was lost among its own statuses, and nothing for one never sent', async () => {
    const { w, anna } = ctx;
    const theirs = w.fake.mention(anna);
    const since = new Date(Date.now() - 60_000);
    assert.equal(await w.connector.findSent(replyTo(theirs.id, 'Checking now, see https://kestrel.example/help'), since), null);
    w.fake.failNext(POST, { status: 503, afterAccepting: true });
    await rejectionOf(w.connector.send(replyTo(theirs.id, 'Checking now, see https://kestrel.example/help')));
    const found = await w.connector.findSent(replyTo(theirs.id, 'Checking now, see https://kestrel.example/help'), since);
    assert.equal(found?.externalId, w.fake.posted()[0]?.id);
    assert.equal(await w.connector.findSent(replyTo(theirs.id, 'another text'), since), null);
  });

  it('findSent says it cannot tell when its pages do not reach back far enough', async () => {
    const w = await startMastodonWorld({ pageSize: 2, maxPages: 2 });
    try {
      for (let i = 0; i < 6; i += 1) w.fake.state.addStatus({ from: w.fake.me, text: `news ${i}` });
      const err = await rejectionOf(w.connector.findSent(replyTo('1', 'x', { kind: 'post' }), new Date(Date.now() - 3_600_000)));
      assert.ok(err instanceof AppError);
      assert.equal(err.code, 'connector_search_incomplete');
    } finally {
      await w.fake.close();
    }
  });

  it('refuses a reply over the limit up front, counted as Mastodon does (a remote handle as @user, a link as 23): the default 500, asked once', async () => {
    const { w, anna } = ctx;
    const theirs = w.fake.mention(anna);
    const err = await rejectionOf(w.connector.send(replyTo(theirs.id, 'x'.repeat(495))));
    assert.ok(err instanceof ValidationError);
    assert.match(err.message, /501 characters; this Mastodon instance allows at most 500/);
    assert.equal(w.fake.requestsTo(POST).length, 0);
    await w.connector.send(replyTo(theirs.id, `short, with a long link https://kestrel.example/${'a'.repeat(600)}`));
    assert.equal(w.fake.requestsTo(INSTANCE).length, 1);
  });

  it("takes the instance's own max_characters, and 500 when the instance says nothing", async () => {
    const big = await startMastodonWorld({}, { maxCharacters: 1000 });
    const silent = await startMastodonWorld({}, { maxCharacters: null });
    try {
      const a = big.fake.addAccount('anna', '', 'social.example');
      await big.connector.send(replyTo(big.fake.mention(a).id, 'y'.repeat(900)));
      assert.equal(big.fake.posted().length, 1);
      const b = silent.fake.addAccount('anna', '', 'social.example');
      assert.ok((await rejectionOf(silent.connector.send(replyTo(silent.fake.mention(b).id, 'y'.repeat(600))))) instanceof ValidationError);
    } finally {
      await Promise.all([big.fake.close(), silent.fake.close()]);
    }
  });

  it('a new post answers nothing and is public', async () => {
    const { w } = ctx;
    const sent = await w.connector.send({ channel: 'mastodon', account: 'kestrel-social', threadKey: 't', kind: 'post', text: 'We are back online.', idempotencyKey: 'p1' });
    assert.deepEqual([w.fake.state.statuses.get(sent.externalId)?.visibility, w.fake.state.statuses.get(sent.externalId)?.in_reply_to_id], ['public', null]);
  });

  it('each failure of a call after a successful one: the status read works, then the post is refused, limited or down', async () => {
    const { w, anna } = ctx;
    const theirs = w.fake.mention(anna);
    w.fake.failNext(POST, { status: 429, resetAt: new Date(Date.now() + 60_000) });
    assert.ok((await rejectionOf(w.connector.send(replyTo(theirs.id, 'a')))) instanceof ConnectorRateLimitError);
    w.fake.failNext(POST, { status: 401 });
    assert.ok((await rejectionOf(w.connector.send(replyTo(theirs.id, 'b')))) instanceof ConnectorAuthError);
    w.fake.failNext(POST, { status: 422, error: 'Validation failed: Text character limit of 500 exceeded' });
    const refused = await rejectionOf(w.connector.send(replyTo(theirs.id, 'c')));
    assert.ok(refused instanceof ValidationError);
    assert.match(refused.message, /character limit/);
    assert.equal(w.fake.posted().length, 0);
    // the instance could not be asked: a reply within Mastodon's default still goes
    const fresh = await startMastodonWorld();
    try {
      const a = fresh.fake.addAccount('anna', '', 'social.example');
      const target = fresh.fake.mention(a);
      fresh.fake.failNext(INSTANCE, { status: 'drop', times: 2 });
      await fresh.connector.send(replyTo(target.id, 'short'));
      assert.ok((await rejectionOf(fresh.connector.send(replyTo(target.id, 'z'.repeat(600), { idempotencyKey: 'k2' })))) instanceof ConnectorUnavailableError);
      assert.equal(fresh.fake.posted().length, 1);
    } finally {
      await fresh.fake.close();
    }
  });

  it('the status it answers is read first: gone (404) fails the reply, an outage (503) is transient; nothing is posted', async () => {
    const { w, anna } = ctx;
    const err = await rejectionOf(w.connector.send(replyTo('113000000000000001', 'hello')));
    assert.ok(err instanceof ValidationError);
    assert.match(err.message, /\(404\): Record not found/);
    w.fake.failNext('GET /api/v1/statuses/:id', { status: 503 });
    assert.ok((await rejectionOf(w.connector.send(replyTo(w.fake.mention(anna).id, 'hello')))) instanceof ConnectorUnavailableError);
    assert.equal(w.fake.requestsTo(POST).length, 0);
  });

  it('findSent: a page of own statuses failing after a good one is transient (the outcome stays unknown)', async () => {
    const w = await startMastodonWorld({ pageSize: 2 });
    try {
      for (let i = 0; i < 5; i += 1) w.fake.state.addStatus({ from: w.fake.me, text: `news ${i}` });
      w.fake.failNext('GET /api/v1/accounts/:id/statuses', { status: 'drop', after: 1 });
      const err = await rejectionOf(w.connector.findSent(replyTo('1', 'x', { kind: 'post' }), new Date(Date.now() - 3_600_000)));
      assert.ok(err instanceof ConnectorUnavailableError);
      const fresh = await startMastodonWorld();
      try {
        fresh.fake.tokenValid = false;
        assert.ok((await rejectionOf(fresh.connector.findSent(replyTo('1', 'x', { kind: 'post' }), new Date()))) instanceof ConnectorAuthError);
      } finally {
        await fresh.fake.close();
      }
    } finally {
      await w.fake.close();
    }
  });

  it('refuses a reply without the status it answers', async () => {
    const { w } = ctx;
    const err = await rejectionOf(w.connector.send(replyTo('1', 'hi', { inReplyToExternalId: undefined })));
    assert.ok(err instanceof ValidationError);
  });
});
