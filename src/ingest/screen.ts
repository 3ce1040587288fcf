import type { RecentCorrection, ReplyCheck } from '../domain/classification';
import type { RoutingDecision } from '../domain/conversation';
import { TRIAGE } from '../domain/department';
import type { Router } from '../routing/router';
import { blockedAmong } from '../store/repositories/blocked-senders';
import { classifiedText, type PlannedMessage } from './plan';

/** A batch's screening, beside routing: which messages come from blocked senders, and what needs no answer. */
export interface Screening {
  /** message ids (as strings) of blocked senders' messages */
  blocked: Set<string>;
}

/** What a new conversation records of its screening. */
export interface ConversationScreen {
  blocked: boolean;
  reply?: ReplyCheck;
}

/** A blocked sender's conversation is never routed: it stays in triage with no classification. */
export const BLOCKED_DECISION: RoutingDecision = { department: TRIAGE, method: 'rule', label: TRIAGE, confidence: 0, scores: {}, rule: 'blocked sender' };

/** The blocked senders among a batch's messages, in one query. */
export async function screenBatch(unique: readonly PlannedMessage[]): Promise<Screening> {
  const flags = await blockedAmong(unique.map((p) => p.message));
  return { blocked: new Set(unique.filter((_, i) => flags[i]).map((p) => String(p.messageId))) };
}

/** `members` without blocked senders' messages: those are counted, but neither date a conversation nor are what a reply answers. */
export function heardOf(members: readonly PlannedMessage[], screening: Screening): PlannedMessage[] {
  return members.filter((p) => !screening.blocked.has(String(p.messageId)));
}

/** A new conversation's screening: blocked, or whether its first message needs a reply (`recent`: agents' corrections there). */
export function screenOpener(opener: PlannedMessage, screening: Screening, router: Router, recent: readonly RecentCorrection[] = []): ConversationScreen {
  if (screening.blocked.has(String(opener.messageId))) return { blocked: true };
  return { blocked: false, reply: router.checkReply(classifiedText(opener.message), recent) };
}

/** The fields a conversation document stores of its screening (nothing when it is an ordinary one). */
export function screenFields(screen: ConversationScreen | undefined): Record<string, unknown> {
  if (!screen) return {};
  if (screen.blocked) return { blocked: true };
  if (!screen.reply) return {};
  const { needed, score, reason } = screen.reply;
  return { needsReply: needed, reply: { score, reason } };
}

/** Whether a new conversation's SLA clocks start: not for a blocked sender, nor for a message that needs no reply. */
export function timed(screen: ConversationScreen | undefined): boolean {
  return !screen?.blocked && screen?.reply?.needed !== false;
}
