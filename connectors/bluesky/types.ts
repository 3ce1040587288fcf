/** What the Bluesky client hands the connector: plain data, no @atproto/api types past this seam. */
export interface StrongRef {
  uri: string;
  cid: string;
}

export interface BskyProfile {
  did: string;
  handle?: string;
  displayName?: string;
}

/** A mention or reply notification, with the post's own record read out. */
export interface BskyNotification {
  uri: string;
  cid: string;
  reason: string;
  author: BskyProfile;
  text: string;
  createdAt?: string;
  indexedAt: string;
  /** the record's reply refs: absent for a post that starts a thread */
  root?: StrongRef;
  parent?: StrongRef;
}

export interface BskyPost {
  uri: string;
  cid: string;
  authorDid: string;
  text: string;
  createdAt?: string;
  indexedAt: string;
  root?: StrongRef;
  parent?: StrongRef;
}

export interface BskyConvo {
  id: string;
  members: BskyProfile[];
  /** sentAt of the convo's last message; absent for a convo without messages */
  lastMessageAt?: string;
}

export interface BskyChatMessage {
  id: string;
  text: string;
  senderDid: string;
  sentAt: string;
}

export interface BskyPage<T> {
  items: T[];
  cursor?: string;
}

/** The few XRPC calls Switchboard makes; each throws our Connector*Error classes. */
export interface BskyApi {
  /** the account's DID (logs in first when there is no session yet) */
  did(): Promise<string>;
  notificationsPage(page: { cursor?: string; limit: number }): Promise<BskyPage<BskyNotification>>;
  convosPage(page: { cursor?: string; limit: number }): Promise<BskyPage<BskyConvo>>;
  /** newest first */
  messagesPage(convoId: string, page: { cursor?: string; limit: number }): Promise<BskyPage<BskyChatMessage>>;
  /** undefined when the post is gone (deleted, or hidden from us) */
  getPost(uri: string): Promise<BskyPost | undefined>;
  /** the account's own posts and replies, newest first, reposts left out */
  ownPostsPage(page: { cursor?: string; limit: number }): Promise<BskyPage<BskyPost>>;
  createPost(text: string, reply?: { root: StrongRef; parent: StrongRef }): Promise<StrongRef>;
  /** the one-to-one convo with `did` (created by the chat service when there is none) */
  convoWith(did: string): Promise<string>;
  sendMessage(convoId: string, text: string): Promise<{ id: string }>;
}
