import type { ConversationStatus } from './conversation';

/** What people did to a conversation, for whoever keeps time (the SLA clocks). */
export interface ConversationEvents {
  statusChanged(conversationId: string, status: ConversationStatus, at: Date): Promise<void>;
  reassigned(conversationId: string, to: string, at: Date): Promise<void>;
  /** it was marked as needing no reply, or needing one again, or its sender was blocked: the clocks stop or start */
  screeningChanged(conversationId: string, at: Date): Promise<void>;
}
