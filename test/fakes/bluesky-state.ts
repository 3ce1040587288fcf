/**
 * What the fake Bluesky holds (accounts, posts, notifications, chat convos) and how it shows them, shaped by the
 * AT Protocol lexicons of the methods Switchboard calls (bluesky-social/atproto lexicons/, as @atproto/api 0.21
 * bundles them and checks every answer against them: app.bsky.notification.
 * listNotifications#notification, app.bsky.feed.defs#postView/#feedViewPost, chat.bsky.convo.defs#convoView/
 * #messageView, app.bsky.actor.defs#profileView). `minimal` leaves out every optional field those lexicons allow.
 */
import crypto from 'node:crypto';

export interface FakeProfile {
  did: string;
  handle: string;
  displayName?: string;
}

export interface StrongRef {
  uri: string;
  cid: string;
}

export interface FakePost {
  uri: string;
  cid: string;
  author: FakeProfile;
  record: { $type: 'app.bsky.feed.post'; text: string; createdAt: string; reply?: { root: StrongRef; parent: StrongRef } };
  indexedAt: string;
}

export interface FakeNotification {
  post: FakePost;
  reason: string;
  indexedAt: string;
}

export interface FakeMessage {
  id: string;
  rev: string;
  text: string;
  sender: string;
  sentAt: string;
}

export interface FakeConvo {
  id: string;
  members: string[];
  messages: FakeMessage[];
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A CIDv1 (dag-cbor, sha-256) in base32, as the lexicons' `cid` format wants: parseable, not a placeholder. */
export function cidOf(content: unknown): string {
  const digest = crypto.createHash('sha256').update(JSON.stringify(content)).digest();
  const bytes = Buffer.concat([Buffer.from([0x01, 0x71, 0x12, 0x20]), digest]);
  let bits = 0;
  let value = 0;
  let out = 'b';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}

export class FakeBlueskyState {
  readonly profiles = new Map<string, FakeProfile>();
  readonly posts = new Map<string, FakePost>();
  /** newest last */
  readonly notifications: FakeNotification[] = [];
  readonly convos = new Map<string, FakeConvo>();
  private serial = 0;
  private lastTime = 0;

  constructor(readonly me: FakeProfile) {
    this.profiles.set(me.did, me);
  }

  /** strictly increasing times, so "newest first" is never a tie */
  stamp(): string {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1);
    return new Date(this.lastTime).toISOString();
  }

  nextId(prefix: string): string {
    this.serial += 1;
    return `${prefix}${this.serial.toString(36).padStart(11, '2')}`;
  }

  addUser(handle: string, displayName?: string): FakeProfile {
    const user = { did: `did:plc:${crypto.createHash('sha256').update(handle).digest('hex').slice(0, 24)}`, handle, ...(displayName ? { displayName } : {}) };
    this.profiles.set(user.did, user);
    return user;
  }

  createPost(author: FakeProfile, text: string, parentUri?: string): FakePost {
    const parent = parentUri ? this.posts.get(parentUri) : undefined;
    if (parentUri && !parent) throw new Error(`fake Bluesky: no post ${parentUri}`);
    const parentRef = parent && { uri: parent.uri, cid: parent.cid };
    const reply = parent && parentRef ? { root: parent.record.reply?.root ?? parentRef, parent: parentRef } : undefined;
    const at = this.stamp();
    const record = { $type: 'app.bsky.feed.post' as const, text, createdAt: at, ...(reply ? { reply } : {}) };
    const uri = `at://${author.did}/app.bsky.feed.post/${this.nextId('3l')}`;
    const post = { uri, cid: cidOf(record), author, record, indexedAt: at };
    this.posts.set(uri, post);
    // the account hears of every post that answers or mentions it
    if (author.did !== this.me.did) {
      const reason = parent?.author.did === this.me.did ? 'reply' : text.includes(`@${this.me.handle}`) ? 'mention' : undefined;
      if (reason) this.notifications.push({ post, reason, indexedAt: at });
    }
    return post;
  }

  convoFor(members: string[]): FakeConvo {
    const all = [...new Set([this.me.did, ...members])].sort();
    const found = [...this.convos.values()].find((c) => c.members.join() === all.join());
    if (found) return found;
    const convo = { id: this.nextId('convo'), members: all, messages: [] };
    this.convos.set(convo.id, convo);
    return convo;
  }

  addMessage(convo: FakeConvo, sender: string, text: string): FakeMessage {
    const message = { id: this.nextId('msg'), rev: this.nextId('rev'), text, sender, sentAt: this.stamp() };
    convo.messages.push(message);
    return message;
  }

  // ---- views, as the lexicons shape them ----

  profileView(p: FakeProfile, minimal: boolean): object {
    return { did: p.did, handle: p.handle, ...(p.displayName && !minimal ? { displayName: p.displayName } : {}) };
  }

  postView(p: FakePost, minimal: boolean): object {
    return {
      uri: p.uri,
      cid: p.cid,
      author: this.profileView(p.author, minimal),
      record: p.record,
      indexedAt: p.indexedAt,
      ...(minimal ? {} : { replyCount: 0, repostCount: 0, likeCount: 0, labels: [] }),
    };
  }

  notificationView(n: FakeNotification, minimal: boolean): object {
    return {
      uri: n.post.uri,
      cid: n.post.cid,
      author: this.profileView(n.post.author, minimal),
      reason: n.reason,
      ...(n.post.record.reply && !minimal ? { reasonSubject: n.post.record.reply.parent.uri } : {}),
      record: n.post.record,
      isRead: false,
      indexedAt: n.indexedAt,
    };
  }

  messageView(m: FakeMessage): object {
    return { $type: 'chat.bsky.convo.defs#messageView', id: m.id, rev: m.rev, text: m.text, sender: { did: m.sender }, sentAt: m.sentAt };
  }

  convoView(c: FakeConvo, minimal: boolean): object {
    const last = c.messages.at(-1);
    return {
      id: c.id,
      rev: last?.rev ?? '0',
      members: c.members.map((did) => this.profileView(this.profiles.get(did) ?? { did, handle: 'handle.invalid' }, minimal)),
      ...(last ? { lastMessage: this.messageView(last) } : {}),
      muted: false,
      unreadCount: 0,
      ...(minimal ? {} : { status: 'accepted' }),
    };
  }
}
