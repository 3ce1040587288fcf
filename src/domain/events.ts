import type { ConversationStatus } from './conversation';

/** What people did to a conversation, for whoever keeps time (the SLA clocks). */
export interface ConversationEvents {
  statusChanged(conversationId: string, status: ConversationStatus, at: Date): Promise<void>;
  reassigned(conversationId: string, to: string, at: Date): Promise<void>;
}
