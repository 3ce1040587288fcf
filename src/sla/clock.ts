import type { ConversationStatus } from '../domain/conversation';
import type { SlaPolicy } from '../domain/sla';
import type { ConversationEvents } from '../domain/events';
import { ConversationModel } from '../store/models/conversation';
import { applySlaEvent, type SlaEvent, type SlaState } from './engine';

/** Conversations in triage run against this until a department owns them. */
export const TRIAGE_POLICY: SlaPolicy = { firstResponseMinutes: 60, resolutionMinutes: 24 * 60 };

/**
 * Keeps each conversation's SLA clocks: applies events in order per conversation (in this process)
 * and stores the result; `changed` hears about every update (the figures cache).
 */
export class SlaClock implements ConversationEvents {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly policyOf: (department: string) => SlaPolicy | undefined,
    private readonly changed: (conversationId: string) => void = () => undefined,
  ) {}

  routed(conversationId: string, department: string, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'routed', department, at });
  }

  customerMessage(conversationId: string, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'customerMessage', at });
  }

  agentReplied(conversationId: string, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'agentReply', at });
  }

  statusChanged(conversationId: string, status: ConversationStatus, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'status', status, at });
  }

  reassigned(conversationId: string, to: string, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'reassigned', department: to, at });
  }

  private apply(conversationId: string, event: SlaEvent): Promise<void> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.applyNow(conversationId, event));
    const settled = next.catch(() => undefined);
    this.queues.set(conversationId, settled);
    void settled.then(() => {
      if (this.queues.get(conversationId) === settled) this.queues.delete(conversationId);
    });
    return next;
  }

  private async applyNow(conversationId: string, event: SlaEvent): Promise<void> {
    const conversation = await ConversationModel.findById(conversationId, { sla: 1, department: 1 }).lean();
    if (!conversation) return;
    const department = 'department' in event ? event.department : conversation.department;
    const policy = this.policyOf(department) ?? TRIAGE_POLICY;
    const state = conversation.sla ? (conversation.sla as unknown as SlaState) : undefined;
    const next = applySlaEvent(state, event, policy);
    await ConversationModel.updateOne({ _id: conversationId }, { $set: { sla: next } });
    this.changed(conversationId);
  }
}
