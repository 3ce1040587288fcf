import type { ConversationEvents } from '../domain/events';
import type { Outbox } from '../domain/outbox';
import type { Surface } from '../store/models/audit-record';

/** Who acted: `id` is what Activity and routing events record (`slack:U123`, `token:anna`), `name` what people read. */
export interface Actor {
  id: string;
  name: string;
  /** where they acted, for the audit trail (default: from the id's prefix) */
  surface?: Surface;
}

/** What the rest of the system does after an action: Slack redraws the card or moves it; absent without Slack. */
export interface ActionEffects {
  /** `by`: who acted, so Slack can redraw the card in their language */
  changed?(conversationId: string, by: Actor): Promise<void>;
  moved?(conversationId: string, to: string, by: Actor): Promise<void>;
  /** a draft was approved or rejected outside Slack: its thread line shows the decision, a rejected author hears why */
  draftDecided?(draftId: string, by: Actor): Promise<void>;
}

/** The one set of dependencies the Slack buttons and the REST API hand to the agent actions. */
export interface ActionDeps {
  /** `conversationRouted`: the card of a conversation that needed no reply and now needs one */
  outbox: Pick<Outbox, 'replyQueued' | 'agentMessageWritten'> & Partial<Pick<Outbox, 'conversationRouted'>>;
  /** the SLA clocks hear status changes and reassignments */
  events?: ConversationEvents;
  effects?: ActionEffects;
}
