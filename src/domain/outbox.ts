/** Work that must happen after a write, through a job (never inline): posting to Slack, delivering replies. */
export interface Outbox {
  conversationRouted(conversationId: string): Promise<void>;
  followUpStored(messageId: string): Promise<void>;
  replyQueued(messageId: string): Promise<void>;
}
