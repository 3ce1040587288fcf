import assert from 'node:assert/strict';
import { ReplyNotAllowedError, ValidationError } from '../../src/domain/errors';
import type { OutboundReply } from '../../src/domain/message';
import type { FakeUser } from '../fakes/x-api';
import { rejectionOf, startXWorld } from './x-setup';
import type { XWorld } from './x-setup';

const reply = (over: Partial<OutboundReply>): OutboundReply => ({
  channel: 'x', account: 'acct-x-1', threadKey: 't', kind: 'mention', text: 'Thanks for waiting', idempotencyKey: 'k1', ...over,
});
const TWEETS = 'POST /2/tweets';

describe('X connector: who X lets us reply to (self-serve apps, since 2026-02-23)', () => {
  let w: XWorld;
  let jane: FakeUser;
  beforeEach(async () => {
    w = await startXWorld();
    jane = w.fake.addUser('jane_doe', 'Jane Doe');
  });
  afterEach(() => w.fake.close());

  it('marks each pulled post: it @mentions us, it does not (a follow-up without the handle), or cannot tell (a quote)', async () => {
    const root = w.fake.addMention({ from: jane, text: 'Hey @ACME_support, my order is late' });
    const ours = w.fake.state.addPost(w.fake.me, '@jane_doe sorry, checking', root.id);
    const bare = w.fake.addMention({ from: jane, text: 'any news? cc @jane_doe', inReplyTo: ours.id });
    const quote = w.fake.addMention({ from: jane, text: 'look at this' });
    quote.referenced_tweets = [{ type: 'quoted', id: ours.id }];
    const { messages } = await w.connector.pull(null);
    const flag = (id: string) => messages.find((m) => m.externalId === id)?.mentionsAccount;
    assert.deepEqual([flag(root.id), flag(bare.id), flag(quote.id)], [true, false, undefined]);
  });

  it('refuses a reply to a post that does not mention us before asking X', async () => {
    const bare = w.fake.addMention({ from: jane, text: 'any news?' });
    const err = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: bare.id, inReplyToMentionsAccount: false })));
    assert.ok(err instanceof ReplyNotAllowedError);
    assert.equal(err.code, 'reply_not_allowed');
    assert.equal(w.fake.requestsTo(TWEETS).length, 0);
  });

  it('X\'s own 403 for such a reply becomes ReplyNotAllowedError; its 403 for a deleted post stays a ValidationError', async () => {
    const bare = w.fake.addMention({ from: jane, text: 'any news?' });
    const refused = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: bare.id })));
    assert.ok(refused instanceof ReplyNotAllowedError, String(refused));
    assert.match(refused.message, /\(403\): Reply to this conversation is not allowed/);
    const gone = await rejectionOf(w.connector.send(reply({ inReplyToExternalId: '1234567890' })));
    assert.ok(gone instanceof ValidationError && !(gone instanceof ReplyNotAllowedError));
    assert.equal(w.fake.createdPosts.length, 0);
  });

  it('sends a new post (kind "post") without a reply target, and finds it again after a lost answer', async () => {
    const since = new Date(Date.now() - 1000);
    w.fake.failNext(TWEETS, { status: 'drop', afterAccepting: true });
    const post = reply({ kind: 'post', text: '@jane_doe your refund is on its way' });
    await rejectionOf(w.connector.send(post));
    const [created] = w.fake.createdPosts;
    assert.deepEqual([created?.text, created?.inReplyToTweetId], ['@jane_doe your refund is on its way', undefined]);
    assert.equal((await w.connector.findSent(post, since))?.externalId, created?.id);
  });
});
