import assert from 'node:assert/strict';
import { useBlueskyWorld, chat, mention } from './bluesky-setup';

describe('Bluesky connector: reading (real @atproto/api, fake PDS)', () => {
  const w = useBlueskyWorld();

  it('reads mentions and replies as messages threaded by the root post, with the author named', async () => {
    const first = mention(w, 'my thermostat is broken');
    const ours = w.fake.state.createPost(w.fake.me, 'sorry to hear that, we look into it', first.uri);
    const reply = w.fake.state.createPost(w.anna, 'still broken, any news?', ours.uri);
    const { messages, cursor } = await w.connector.pullTimeline('notifications', {});
    assert.deepEqual(messages.map((m) => [m.externalId, m.threadKey, m.kind]).sort(), [[first.uri, first.uri, 'mention'], [reply.uri, first.uri, 'mention']].sort());
    const m = messages.find((x) => x.externalId === first.uri);
    assert.equal(m?.text, `@${w.fake.me.handle} my thermostat is broken`);
    assert.deepEqual(m?.author, { id: w.anna.did, handle: '@anna.bsky.social', name: 'Anna K', profileUrl: 'https://bsky.app/profile/anna.bsky.social' });
    assert.ok(cursor.notificationsSeenAt);
  });

  it('reads chat messages, threaded by convo, and not the account\'s own', async () => {
    const { convo, message } = chat(w, 'hello, a quote for 40 units please');
    w.fake.state.addMessage(convo, w.fake.me.did, 'our answer');
    const { messages } = await w.connector.pullTimeline('chat', {});
    assert.deepEqual(messages.map((m) => [m.externalId, m.threadKey, m.kind, m.text]), [[message.id, convo.id, 'dm', 'hello, a quote for 40 units please']]);
  });
});

describe('Bluesky connector: positions and pages', () => {
  const w = useBlueskyWorld();

  it('a brand-new account with nothing yet: no messages, no position, and the next poll still reads what comes', async () => {
    const empty = await w.connector.pullTimeline('notifications', {});
    assert.deepEqual(empty, { messages: [], cursor: {} });
    assert.deepEqual(await w.connector.pullTimeline('chat', {}), { messages: [], cursor: {} });
    mention(w, 'first words');
    assert.equal((await w.connector.pullTimeline('notifications', {})).messages.length, 1);
  });

  it('the first poll of an account reads only the newest page, not its whole history', async () => {
    for (let i = 0; i < 12; i++) mention(w, `old #${i}`);
    const { messages } = await w.connector.pullTimeline('notifications', {});
    assert.equal(messages.length, 5);
    assert.equal(w.fake.count('app.bsky.notification.listNotifications'), 1);
  });

  it('pages back to the stored position: everything new once, nothing older again', async () => {
    mention(w, 'older');
    const boundary = mention(w, 'before').uri;
    const { cursor } = await w.connector.pullTimeline('notifications', {});
    const fresh = Array.from({ length: 12 }, (_, i) => mention(w, `new #${i}`).uri);
    const next = await w.connector.pullTimeline('notifications', cursor);
    // the item of the stored instant itself is read again (another may share it); the store's dedupe drops it
    assert.deepEqual(new Set(next.messages.map((m) => m.externalId)), new Set([...fresh, boundary]));
    const again = await w.connector.pullTimeline('notifications', next.cursor);
    assert.ok(again.messages.every((m) => m.externalId === fresh[11]));
  });

  it('reads the lexicons\' minimal shapes: no displayName, no cursor, no optional session fields', async () => {
    w.fake.minimal = true;
    mention(w, 'minimal');
    chat(w, 'minimal chat');
    const [n, c] = [await w.connector.pullTimeline('notifications', {}), await w.connector.pullTimeline('chat', {})];
    assert.deepEqual(n.messages[0]?.author, { id: w.anna.did, handle: '@anna.bsky.social', profileUrl: 'https://bsky.app/profile/anna.bsky.social' });
    assert.equal(c.messages[0]?.text, 'minimal chat');
  });

  it('chat: only convos active since the stored position are opened', async () => {
    const bob = w.fake.state.addUser('bob.bsky.social');
    chat(w, 'anna, early');
    const carol = w.fake.state.addUser('carol.bsky.social');
    w.fake.state.addMessage(w.fake.state.convoFor([carol.did]), carol.did, 'carol, earliest');
    const bobs = w.fake.state.addMessage(w.fake.state.convoFor([bob.did]), bob.did, 'bob, early');
    const { cursor } = await w.connector.pullTimeline('chat', {});
    const later = chat(w, 'anna, later');
    const before = w.fake.count('chat.bsky.convo.getMessages');
    const next = await w.connector.pullTimeline('chat', cursor);
    // bob's message is the stored instant itself: read again, dropped by the store's dedupe
    assert.deepEqual(next.messages.map((m) => m.externalId), [later.message.id, bobs.id]);
    assert.equal(w.fake.count('chat.bsky.convo.getMessages') - before, 2);
    assert.ok(w.fake.calls.filter((c) => c.nsid.startsWith('chat.')).every((c) => c.proxy === 'did:web:api.bsky.chat#bsky_chat'));
  });
});
