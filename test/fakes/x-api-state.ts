import { FakeActivityState } from './x-api-activity';

/** In-memory world of the fake X API: users, posts (the account's own and ones that mention it), DM events. */
export interface FakeUser {
  id: string;
  username: string;
  name: string;
  created_at: string;
}

export interface FakeTweet {
  id: string;
  text: string;
  author_id: string;
  conversation_id: string;
  created_at: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: { type: 'replied_to' | 'quoted' | 'retweeted'; id: string }[];
  /** users whose mention timeline shows this post */
  mentions: string[];
  /** what X finds in the text when the post is created: @handles of existing users (code point offsets) */
  entities?: { mentions: { start: number; end: number; username: string; id: string }[] };
}

export type DmEventType = 'MessageCreate' | 'ParticipantsJoin' | 'ParticipantsLeave';

export interface FakeDmEvent {
  id: string;
  event_type: DmEventType;
  text?: string;
  sender_id: string;
  dm_conversation_id: string;
  participant_ids: string[];
  created_at: string;
}

export interface CreatedPost {
  id: string;
  text: string;
  inReplyToTweetId?: string;
}

export interface SentDm {
  dmEventId: string;
  dmConversationId: string;
  participantId: string;
  text: string;
}

export interface MentionInput {
  from: FakeUser;
  text?: string;
  /** id of the post this one answers; joins its conversation */
  inReplyTo?: string;
  createdAt?: Date;
}

export interface DmInput {
  from: FakeUser;
  /** defaults to the authenticated account */
  to?: FakeUser;
  text?: string;
  eventType?: DmEventType;
  createdAt?: Date;
}

/** Snowflake-like ids: 19 digits, increasing with time, so since_id comparisons hold. */
export const compareIds = (a: string, b: string): number => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

export class FakeXState {
  /** the X Activity API: tokens and subscriptions (x-api-activity.ts) */
  readonly activity = new FakeActivityState();
  readonly users = new Map<string, FakeUser>();
  readonly tweets: FakeTweet[] = [];
  readonly dmEvents: FakeDmEvent[] = [];
  readonly createdPosts: CreatedPost[] = [];
  readonly sentDms: SentDm[] = [];
  readonly me: FakeUser;
  private seq = 1_790_000_000_000_000_000n;

  constructor(me: Partial<FakeUser> = {}) {
    this.me = this.addUser({ username: 'acme_support', name: 'Acme Support', ...me });
  }

  nextId(): string {
    this.seq += 1_000_003n;
    return this.seq.toString();
  }

  addUser(u: Partial<FakeUser> & { username: string }): FakeUser {
    const user = { id: u.id ?? this.nextId(), name: u.name ?? u.username, created_at: '2020-01-01T00:00:00.000Z', ...u };
    this.users.set(user.id, user);
    return user;
  }

  addPost(author: FakeUser, text: string, inReplyTo?: string, createdAt = new Date()): FakeTweet {
    const id = this.nextId();
    const parent = inReplyTo ? this.tweets.find((t) => t.id === inReplyTo) : undefined;
    const tweet: FakeTweet = {
      id,
      text,
      author_id: author.id,
      conversation_id: parent?.conversation_id ?? inReplyTo ?? id,
      created_at: createdAt.toISOString(),
      mentions: [],
    };
    const entities = this.mentionEntities(text);
    if (entities.length > 0) tweet.entities = { mentions: entities };
    if (inReplyTo) {
      tweet.referenced_tweets = [{ type: 'replied_to', id: inReplyTo }];
      tweet.in_reply_to_user_id = parent?.author_id ?? this.me.id;
    }
    this.tweets.push(tweet);
    return tweet;
  }

  addMention(m: MentionInput): FakeTweet {
    const tweet = this.addPost(m.from, m.text ?? `@${this.me.username} hello`, m.inReplyTo, m.createdAt);
    tweet.mentions.push(this.me.id);
    return tweet;
  }

  addDm(d: DmInput): FakeDmEvent {
    const to = d.to ?? this.me;
    const pair = [d.from.id, to.id].sort(compareIds);
    const event: FakeDmEvent = {
      id: this.nextId(),
      event_type: d.eventType ?? 'MessageCreate',
      sender_id: d.from.id,
      // X names a one-to-one conversation "<lower id>-<higher id>"
      dm_conversation_id: pair.join('-'),
      participant_ids: pair,
      created_at: (d.createdAt ?? new Date()).toISOString(),
    };
    if (event.event_type === 'MessageCreate') event.text = d.text ?? 'Hi, I need help';
    this.dmEvents.push(event);
    return event;
  }

  /** @handles in `text` that name a user, with X's code point offsets (end exclusive). */
  mentionEntities(text: string): { start: number; end: number; username: string; id: string }[] {
    const found = [];
    for (const m of text.matchAll(/(^|[^A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})\b/g)) {
      const user = [...this.users.values()].find((u) => u.username.toLowerCase() === m[2]?.toLowerCase());
      if (!user || m.index === undefined) continue;
      const start = [...text.slice(0, m.index + (m[1]?.length ?? 0))].length;
      found.push({ start, end: start + 1 + user.username.length, username: user.username, id: user.id });
    }
    return found;
  }

  /**
   * X's rule for self-serve apps since 2026-02-23: a reply only to a post whose author mentioned the account
   * or quoted one of its posts (or to the account's own post).
   */
  mayReplyTo(target: FakeTweet): boolean {
    if (target.author_id === this.me.id) return true;
    if (target.entities?.mentions.some((m) => m.id === this.me.id)) return true;
    return !!target.referenced_tweets?.some((r) => r.type === 'quoted' && this.tweets.find((t) => t.id === r.id)?.author_id === this.me.id);
  }

  /** Newest first, as X lists both timelines. */
  mentionsOf(userId: string): FakeTweet[] {
    return this.tweets.filter((t) => t.mentions.includes(userId)).sort((a, b) => compareIds(b.id, a.id));
  }

  /** Posts written by the user (replies included), newest first. */
  postsBy(userId: string): FakeTweet[] {
    return this.tweets.filter((t) => t.author_id === userId).sort((a, b) => compareIds(b.id, a.id));
  }

  /** The one-to-one conversation of two users, newest first. */
  dmEventsBetween(userId: string, participantId: string, types: Set<string>): FakeDmEvent[] {
    return this.dmEventsOf(userId, types).filter((e) => e.participant_ids.length === 2 && e.participant_ids.includes(participantId));
  }

  dmEventsOf(userId: string, types: Set<string>): FakeDmEvent[] {
    return this.dmEvents
      .filter((e) => e.participant_ids.includes(userId) && (types.size === 0 || types.has(e.event_type)))
      .sort((a, b) => compareIds(b.id, a.id));
  }
}
