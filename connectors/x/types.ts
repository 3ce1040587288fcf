/** What the X client hands the connector: plain data, no twitter-api-v2 types past this seam. */
export interface XUser {
  id: string;
  username: string;
  name: string;
}

export interface XPost {
  id: string;
  text: string;
  authorId?: string;
  conversationId?: string;
  createdAt?: string;
  /** the post this one answers (referenced_tweets replied_to) */
  inReplyToId?: string;
  /** users @mentioned in the text (entities.mentions); absent when X sent no entities */
  mentions?: { id?: string; username?: string }[];
  /** it quotes a post (referenced_tweets quoted) */
  quotes?: boolean;
}

export interface XDmEvent {
  id: string;
  eventType: string;
  text?: string;
  senderId?: string;
  dmConversationId?: string;
  createdAt?: string;
}

export interface XPage<T> {
  items: T[];
  /** users from `includes.users`, by id */
  users: Map<string, XUser>;
  newestId?: string;
  nextToken?: string;
  /** problems X reported in errors[] of a 200 answer (a post or user it could not return) */
  problems?: string[];
}

/** The few X API v2 calls Switchboard makes; each throws our Connector*Error classes. */
export interface XApi {
  me(): Promise<XUser>;
  mentionsPage(userId: string, page: { sinceId?: string; token?: string; maxResults: number }): Promise<XPage<XPost>>;
  dmEventsPage(page: { token?: string; maxResults: number }): Promise<XPage<XDmEvent>>;
  /** the account's own posts (replies included, retweets not), newest first, created at or after `startTime` */
  ownPostsPage(userId: string, page: { startTime: Date; token?: string; maxResults: number }): Promise<XPage<XPost>>;
  /** the one-to-one DM conversation with `participantId`, newest first */
  dmEventsWithPage(participantId: string, page: { token?: string; maxResults: number }): Promise<XPage<XDmEvent>>;
  /** throws ReplyNotAllowedError when X refuses the reply because its target's author did not mention or quote us */
  reply(text: string, inReplyToId: string): Promise<{ id: string }>;
  post(text: string): Promise<{ id: string }>;
  sendDm(participantId: string, text: string): Promise<{ dmEventId: string; dmConversationId?: string }>;
}
