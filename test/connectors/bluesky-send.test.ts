import assert from 'node:assert/strict';
import { ConnectorUnavailableError, ValidationError } from '../../src/domain/errors';
import type { OutboundReply } from '../../src/domain/message';
import { rejectionOf } from './x-setup';
import { chat, mention, useBlueskyWorld } from './bluesky-setup';

const reply = (over: Partial<OutboundReply>): OutboundReply => ({ channel: 'bluesky', account: 'acct-bsky-1', threadKey: '', kind: 'mention', text: 'We are on it.', idempotencyKey: 'k1', ...over });

describe('Bluesky connector: sending', () => {
  const w = useBlueskyWorld();

  it('answers a reply deep in a thread with root = the thread\'s first post and parent = the post answered (uri and cid)', async () => {
    const root = mention(w, 'broken thermostat');
    const ours = w.fake.state.createPost(w.fake.me, 'we look into it', root.uri);
    const hers = w.fake.state.createPost(w.anna, 'any news?', ours.uri);
    const sent = await w.connector.send(reply({ threadKey: root.uri, inReplyToExternalId: hers.uri, text: 'A technician comes on Monday.' }));
    const post = w.fake.state.posts.get(sent.externalId);
    assert.deepEqual(post?.record.reply, { root: { uri: root.uri, cid: root.cid }, parent: { uri: hers.uri, cid: hers.cid } });
    assert.equal(post?.record.text, 'A technician comes on Monday.');
    assert.match(sent.url ?? '', /^https:\/\/bsky\.app\/profile\/did:plc:[a-z0-9]+\/post\/\w+$/);
  });

  it('answers a post that starts a thread with root = parent = that post', async () => {
    const root = mention(w, 'hello');
    const sent = await w.connector.send(reply({ threadKey: root.uri, inReplyToExternalId: root.uri }));
    assert.deepEqual(w.fake.state.posts.get(sent.externalId)?.record.reply, { root: { uri: root.uri, cid: root.cid }, parent: { uri: root.uri, cid: root.cid } });
  });

  it('refuses a reply over 300 graphemes before any request, counting an emoji family as one', async () => {
    const root = mention(w, 'hello');
    const family = '👩‍👩‍👧‍👦';
    const ok = await w.connector.send(reply({ threadKey: root.uri, inReplyToExternalId: root.uri, text: family.repeat(100) + 'a'.repeat(200) }));
    assert.ok(ok.externalId);
    const calls = w.fake.calls.length;
    const err = await rejectionOf(w.connector.send(reply({ threadKey: root.uri, inReplyToExternalId: root.uri, text: 'a'.repeat(301) })));
    assert.ok(err instanceof ValidationError);
    assert.match(err.message, /301 characters; Bluesky allows at most 300/);
    assert.equal(w.fake.calls.length, calls);
  });

  it('refuses a reply to a post that is gone, and one with nothing to answer', async () => {
    const gone = await rejectionOf(w.connector.send(reply({ threadKey: 'at://x', inReplyToExternalId: `at://${w.anna.did}/app.bsky.feed.post/3lgone` })));
    assert.ok(gone instanceof ValidationError);
    assert.match(gone.message, /is gone/);
    assert.ok((await rejectionOf(w.connector.send(reply({ threadKey: 'at://x' })))) instanceof ValidationError);
  });

  it('sends a chat message into the convo, or into the customer\'s convo when a post thread is answered by chat', async () => {
    const { convo } = chat(w, 'a question');
    const sent = await w.connector.send(reply({ kind: 'dm', threadKey: convo.id, text: 'Here is the answer.' }));
    assert.deepEqual(convo.messages.at(-1), { ...convo.messages.at(-1), id: sent.externalId, sender: w.fake.me.did, text: 'Here is the answer.' });
    const root = mention(w, 'in public');
    const viaDm = await w.connector.send(reply({ kind: 'dm', threadKey: root.uri, recipientId: w.anna.did, text: 'Privately: yes.' }));
    assert.equal(convo.messages.at(-1)?.id, viaDm.externalId);
  });

  it('createRecord answers 500 after writing: findSent finds the post, so the retry posts nothing twice', async () => {
    const root = mention(w, 'hello');
    const r = reply({ threadKey: root.uri, inReplyToExternalId: root.uri, text: 'Written once.' });
    const since = new Date(Date.now() - 120_000);
    w.fake.failNext('com.atproto.repo.createRecord', { status: 500, afterAccepting: true });
    assert.ok((await rejectionOf(w.connector.send(r))) instanceof ConnectorUnavailableError);
    const found = await w.connector.findSent(r, since);
    const ours = [...w.fake.state.posts.values()].filter((p) => p.author.did === w.fake.me.did);
    assert.equal(ours.length, 1);
    assert.equal(found?.externalId, ours[0]?.uri);
    assert.equal(await w.connector.findSent({ ...r, text: 'Something else.' }, since), null);
  });

  it('getPosts succeeds and createRecord then drops before writing: findSent finds nothing and the retry posts once', async () => {
    const root = mention(w, 'hello');
    const r = reply({ threadKey: root.uri, inReplyToExternalId: root.uri, text: 'Only once.' });
    w.fake.failNext('com.atproto.repo.createRecord', { status: 'drop' });
    assert.ok((await rejectionOf(w.connector.send(r))) instanceof ConnectorUnavailableError);
    assert.equal(await w.connector.findSent(r, new Date(Date.now() - 120_000)), null);
    await w.connector.send(r);
    assert.deepEqual([...w.fake.state.posts.values()].filter((p) => p.author.did === w.fake.me.did).map((p) => p.record.text), ['Only once.']);
  });

  it('a dropped connection on sendMessage after the write: findSent finds the message in the convo', async () => {
    const { convo } = chat(w, 'a question');
    const r = reply({ kind: 'dm', threadKey: convo.id, text: 'Sent once.' });
    w.fake.failNext('chat.bsky.convo.sendMessage', { status: 'drop', afterAccepting: true });
    assert.ok((await rejectionOf(w.connector.send(r))) instanceof ConnectorUnavailableError);
    const found = await w.connector.findSent(r, new Date(Date.now() - 120_000));
    assert.equal(found?.externalId, convo.messages.at(-1)?.id);
  });
});
