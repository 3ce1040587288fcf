/** 'waiting': waiting on the customer; the resolution clock is paused. */
export type ConversationStatus = 'open' | 'waiting' | 'resolved';
export const CONVERSATION_STATUSES: readonly ConversationStatus[] = ['open', 'waiting', 'resolved'];

/** How a department was chosen: by the model, a rule, or a person. */
export type RoutingMethod = 'model' | 'triage' | 'manual' | 'rule';

export interface RoutingDecision {
  department: string;
  method: RoutingMethod;
  label: string;
  confidence: number;
  scores: Record<string, number>;
  lang?: string;
  terms?: string[];
  /** for method 'rule': which rule decided, e.g. 'author @jobboard' */
  rule?: string;
}
