/** Work that must happen after a write, through a job (never inline): posting to Slack, delivering replies. */
export interface Outbox {
  conversationRouted(conversationId: string): Promise<void>;
  followUpStored(messageId: string): Promise<void>;
  replyQueued(messageId: string): Promise<void>;
  /** a reply was sent or failed: the thread hears how (reaction, line), retried on its own */
  replyFinished(messageId: string): Promise<void>;
  /** an agent's reply or note written outside Slack (web inbox, API): one line in the card's thread */
  agentMessageWritten(messageId: string): Promise<void>;
}
