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
  /** what the classifier and the no-reply detector read instead of `text` (e-mail: without quoted history and signature) */
  classifyText?: string;
  /** the department the channel suggests (an e-mail account's `department`): a routing rule, after author rules */
  departmentHint?: string;
  /** e-mail: the Subject line */
  subject?: string;
  /** e-mail: the files attached, listed on the card, never forwarded */
  attachments?: Attachment[];
}

export interface Attachment {
  name: string;
  /** bytes */
  size: number;
  contentType?: string;
}

/** Opaque per-connector position; moves only after the messages it covers are stored. */
export type Cursor = Record<string, string | undefined>;

/** What a connector read in one pull, for pay-per-use accounting. */
export interface ReadUsage {
  posts: number;
  dmEvents: number;
}

/** What X bills, one resource at a time (a read of the same resource twice in one UTC day is billed once). */
export type BillableKind = 'post_read' | 'owned_post_read' | 'dm_event_read' | 'post_create' | 'post_with_url_create' | 'dm_create';

export interface Billable {
  kind: BillableKind;
  /** the post id or DM event id */
  id: string;
}

export interface PullResult {
  messages: InboundMessage[];
  /** only the keys this pull moves; a key left out keeps its stored value */
  cursor: Cursor;
  usage?: ReadUsage;
  /** every resource read, for a pay-per-use channel's spend meter */
  billed?: Billable[];
  /** problems the channel reported beside the data (X: errors[] of a 200 answer) */
  problems?: string[];
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
  /** what the channel bills for this send (pay-per-use channels) */
  billed?: Billable;
}

/** Every channel implements this; the pipeline never sees a vendor payload. */
export interface Connector {
  readonly kind: string;
  pull?(cursor: Cursor | null): Promise<PullResult>;
  /** timelines that are polled, paused and fail independently (X: mentions, dms); pull() reads them all */
  readonly timelines?: readonly string[];
  pullTimeline?(name: string, cursor: Cursor): Promise<PullResult>;
  send(reply: OutboundReply): Promise<SendResult>;
  /** a reply this account already sent for `reply` (same target and text) since `since`, or null */
  findSent?(reply: OutboundReply, since: Date): Promise<SendResult | null>;
}
