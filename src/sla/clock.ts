import type { ConversationStatus } from '../domain/conversation';
import type { SlaPolicy } from '../domain/sla';
import type { ConversationEvents } from '../domain/events';
import { ConversationModel } from '../store/models/conversation';
import { applySlaEvent, type SlaEvent, type SlaState } from './engine';
import { figureFields, runningOf, type RunningTarget, type SlaFigureFields } from './running';

/** `Conversation.sla` as stored: the clocks' state, its running targets and figure fields. */
export type StoredSla = SlaState & { running: RunningTarget[]; warnShare: number; fig: SlaFigureFields };

/** A conversation's screening changed (no reply needed, blocked): the clock stops, or starts if it now needs a reply. */
interface Screened {
  type: 'screened';
  at: Date;
}

/** What a clock event reads of its conversation. */
interface ClockRead {
  sla?: unknown;
  department: string;
  needsReply?: boolean | null;
  blocked?: boolean | null;
}

/** Writes lost to other processes' clocks before an event gives up (each loser reads again at once). */
const MAX_ATTEMPTS = 20;

/** Conversations in triage run against this until a department owns them. */
export const TRIAGE_POLICY: SlaPolicy = { firstResponseMinutes: 60, resolutionMinutes: 24 * 60 };

/** The share of a target's business time at which it is at risk and warned about (SLA_WARN_AT). */
export const DEFAULT_WARN_SHARE = 0.8;

/**
 * Keeps each conversation's SLA clocks: applies events in order per conversation (in this process)
 * and stores the result with its running targets' warning and due times (`sla.running`, indexed).
 */
export class SlaClock implements ConversationEvents {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly policyOf: (department: string) => SlaPolicy | undefined,
    private readonly warnShare: number = DEFAULT_WARN_SHARE,
  ) {}

  routed(conversationId: string, department: string, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'routed', department, at });
  }

  /** The clocks of a conversation stored without them (before the pipeline wrote them with the insert); else nothing. */
  routedIfUnset(conversationId: string, department: string, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'routed', department, at }, true);
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

  /** A conversation that needs no reply or is blocked has no clock (the figures skip it); one that needs a reply again starts now. */
  screeningChanged(conversationId: string, at: Date): Promise<void> {
    return this.apply(conversationId, { type: 'screened', at });
  }

  /**
   * Stores the figure fields and running targets of conversations stored before they existed, and the
   * warning times of open ones computed with another SLA_WARN_AT; returns how many it updated.
   */
  async refreshStale(): Promise<number> {
    let updated = 0;
    const stale = { $or: [{ 'sla.fig.settlesAt': { $exists: false } }, { status: { $ne: 'resolved' as const }, 'sla.warnShare': { $ne: this.warnShare } }] };
    const cursor = ConversationModel.find({ sla: { $type: 'object' }, ...stale }, { sla: 1, slaRev: 1, department: 1 }).lean().cursor();
    for await (const c of cursor) {
      const state = c.sla as unknown as SlaState;
      const running = runningOf(state, this.policyOf(c.department) ?? TRIAGE_POLICY, this.warnShare);
      // a clock that stored this conversation meanwhile wrote both: leave its result
      const { modifiedCount } = await ConversationModel.updateOne(
        { _id: c._id, slaRev: c.slaRev ?? null },
        { $set: { 'sla.running': running, 'sla.warnShare': this.warnShare, 'sla.fig': figureFields(state) }, $inc: { slaRev: 1 } },
      );
      updated += modifiedCount;
    }
    return updated;
  }

  private apply(conversationId: string, event: SlaEvent | Screened, onlyIfUnset = false): Promise<void> {
    const previous = this.queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(() => this.applyNow(conversationId, event, onlyIfUnset));
    const settled = next.catch(() => undefined);
    this.queues.set(conversationId, settled);
    void settled.then(() => {
      if (this.queues.get(conversationId) === settled) this.queues.delete(conversationId);
    });
    return next;
  }

  /** The `sla` of a conversation routed to `department` at `at`: the pipeline writes it with the insert, not after. */
  opening(department: string, at: Date): StoredSla {
    return this.stored(applySlaEvent(undefined, { type: 'routed', department, at }, this.policy(department)), department);
  }

  private async applyNow(conversationId: string, event: SlaEvent | Screened, onlyIfUnset: boolean): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const conversation = await ConversationModel.findById(conversationId, { sla: 1, slaRev: 1, department: 1, needsReply: 1, blocked: 1 }).lean();
      if (!conversation || (onlyIfUnset && conversation.sla)) return;
      const update = this.next(conversation, event);
      if (!update) return;
      // written only over the state it was computed from: another process's clock may have stored one since the read
      const { matchedCount } = await ConversationModel.updateOne({ _id: conversationId, slaRev: conversation.slaRev ?? null }, { ...update, $inc: { slaRev: 1 } });
      if (matchedCount === 1) return;
      if (attempt === MAX_ATTEMPTS) throw new Error(`the SLA clocks of conversation ${conversationId} changed under ${MAX_ATTEMPTS} attempts to apply ${event.type}`);
    }
  }

  /** The write that applies `event` to what was read, or none when nothing changes. */
  private next(conversation: ClockRead, event: SlaEvent | Screened): { $set: { sla: StoredSla } } | { $unset: { sla: 1 } } | undefined {
    // nothing is owed: no clock runs, and one that ran is taken away, so no figure counts it
    if (conversation.blocked === true || conversation.needsReply === false) return conversation.sla ? { $unset: { sla: 1 } } : undefined;
    if (event.type === 'screened' && conversation.sla) return undefined;
    const department = 'department' in event ? event.department : conversation.department;
    const state = conversation.sla ? (conversation.sla as unknown as SlaState) : undefined;
    // a conversation that needed no reply until now starts its clock as a routed one does
    const next = applySlaEvent(state, event.type === 'screened' ? { type: 'routed', department, at: event.at } : event, this.policy(department));
    return { $set: { sla: this.stored(next, department) } };
  }

  private policy(department: string): SlaPolicy {
    return this.policyOf(department) ?? TRIAGE_POLICY;
  }

  /** A state with what the readers query beside it: running targets, the warn share, the figure fields. */
  private stored(state: SlaState, department: string): StoredSla {
    return { ...state, running: runningOf(state, this.policy(department), this.warnShare), warnShare: this.warnShare, fig: figureFields(state) };
  }
}
