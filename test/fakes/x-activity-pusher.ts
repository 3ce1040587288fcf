/**
 * X's side of the X Activity API webhook: the CRC challenge and signed event POSTs (x-twitter-webhooks-signature,
 * HMAC-SHA256 of the raw body with the app's consumer secret), with envelopes shaped like /2/activity/stream's,
 * built from the fake X API's own posts and DM events so push and poll deliver the same items.
 */
import crypto from 'node:crypto';
import type { FakeDmEvent, FakeTweet, FakeXState } from './x-api-state';
import { dmOut, tweetOut, userOut } from './x-api-wire';

const ALL_TWEET_FIELDS = new Set(['author_id', 'conversation_id', 'created_at', 'in_reply_to_user_id', 'referenced_tweets', 'entities']);
const ALL_DM_FIELDS = new Set(['created_at', 'dm_conversation_id', 'sender_id', 'participant_ids']);

export interface Delivery {
  status: number;
  body: unknown;
}

export class XActivityPusher {
  /** `url`: the webhook's full URL; `secret`: the app's consumer secret */
  constructor(private readonly url: string, private readonly secret: string, private readonly state: FakeXState) {}

  sign(raw: string): string {
    return `sha256=${crypto.createHmac('sha256', this.secret).update(raw).digest('base64')}`;
  }

  async crc(token: string): Promise<Delivery> {
    const res = await fetch(`${this.url}?crc_token=${encodeURIComponent(token)}`);
    return { status: res.status, body: await res.json() };
  }

  /** POSTs `raw` as X does; `signature` overrides the header (null: none at all). */
  async post(raw: string, signature: string | null = this.sign(raw)): Promise<Delivery> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature !== null) headers['x-twitter-webhooks-signature'] = signature;
    const res = await fetch(this.url, { method: 'POST', headers, body: raw });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  envelope(eventType: string, userId: string, payload: unknown, authorIds: string[]): Record<string, unknown> {
    const users = authorIds.map((id) => this.state.users.get(id)).filter((u) => u !== undefined).map((u) => userOut(u, new Set()));
    return {
      data: {
        event_type: eventType,
        event_uuid: (BigInt(Date.now()) * 1000n + BigInt(crypto.randomInt(1000))).toString(),
        filter: { user_id: userId },
        tag: 'switchboard',
        payload,
        ...(users.length > 0 ? { includes: { users } } : {}),
      },
    };
  }

  /** `post.mention.create` for a post the fake holds (as addMention made it), to the subscription of `userId`. */
  mention(post: FakeTweet, userId = this.state.me.id): Promise<Delivery> {
    return this.post(JSON.stringify(this.envelope('post.mention.create', userId, tweetOut(post, ALL_TWEET_FIELDS, new Set(['author_id'])), [post.author_id])));
  }

  /** `dm.received` for a DM event the fake holds. */
  dm(event: FakeDmEvent, userId = this.state.me.id): Promise<Delivery> {
    return this.post(JSON.stringify(this.envelope('dm.received', userId, dmOut(event, ALL_DM_FIELDS, new Set(['sender_id'])), [event.sender_id])));
  }
}
