/** A message as a connector hands it to the pipeline: channel-neutral, no vendor payloads. */
export interface Author {
  id?: string;
  handle?: string;
  name?: string;
  profileUrl?: string;
}

export type MessageKind = 'mention' | 'dm' | 'post';

export interface InboundMessage {
  /** connector kind: 'x', 'webhook', 'replay', ... */
  channel: string;
  /** the connected account (X user id, webhook source name) */
  account: string;
  externalId: string;
  /** groups messages into one conversation within (channel, account) */
  threadKey: string;
  kind: MessageKind;
  author: Author;
  text: string;
  createdAt: Date;
  url?: string;
  inReplyToExternalId?: string;
  /** set when the account itself wrote it (our own replies seen again) */
  fromSelf?: boolean;
  /** a post: whether it @mentions the connected account (X lets apps reply only then); absent when unknown */
  mentionsAccount?: boolean;
  raw?: unknown;
}

/** Opaque per-connector position; moves only after the messages it covers are stored. */
export type Cursor = Record<string, string | undefined>;

/** What a connector read in one pull, for pay-per-use accounting. */
export interface ReadUsage {
  posts: number;
  dmEvents: number;
}

export interface PullResult {
  messages: InboundMessage[];
  cursor: Cursor;
  usage?: ReadUsage;
}

export interface OutboundReply {
  channel: string;
  account: string;
  threadKey: string;
  kind: MessageKind;
  text: string;
  /** the customer's message we answer (X: reply to this post); kind 'post' answers nothing: a new post */
  inReplyToExternalId?: string;
  /** whether that message mentions our account: false means X will refuse a reply (absent: unknown) */
  inReplyToMentionsAccount?: boolean;
  /** the customer to DM */
  recipientId?: string;
  idempotencyKey: string;
}

export interface SendResult {
  externalId: string;
  url?: string;
}

/** Every channel implements this; the pipeline never sees a vendor payload. */
export interface Connector {
  readonly kind: string;
  pull?(cursor: Cursor | null): Promise<PullResult>;
  send(reply: OutboundReply): Promise<SendResult>;
  /** a reply this account already sent for `reply` (same target and text) since `since`, or null */
  findSent?(reply: OutboundReply, since: Date): Promise<SendResult | null>;
}
