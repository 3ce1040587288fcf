import type { Types } from 'mongoose';
import type { ReplyCheck } from '../domain/classification';
import type { InboundMessage } from '../domain/message';
import type { Router } from '../routing/router';
import { announceConversations, announceFollowUps } from './announce';
import { emptyLedger, storeBatch } from './store-batch';
import { undoBatch } from './undo';

export interface NewConversation {
  conversationId: Types.ObjectId;
  department: string;
  /** when the customer wrote the first message */
  at: Date;
  /** its sender is blocked: no SLA clock, no card */
  blocked?: boolean;
  /** false: the detector found it needs no answer (no SLA clock; a card only with NO_REPLY_CARDS=channel) */
  needsReply?: boolean;
}

/** A follow-up in a conversation that needed no reply, with the detector's view of it (src/ingest/hooks.ts). */
export interface FollowUpScreen {
  quiet?: { reply?: ReplyCheck };
}

export interface PipelineDeps {
  router: Router;
  /** the SLA clocks a conversation routed to `department` at `at` starts with (SlaClock.opening), stored with its insert */
  openingSla?: (department: string, at: Date) => object;
  /** called once per conversation created, after its first message is stored */
  onNewConversation?: (created: NewConversation) => Promise<void>;
  /** called once per later customer message stored in an existing conversation */
  onFollowUp?: (messageId: string, conversationId: string, at: Date, screen?: FollowUpScreen) => Promise<void>;
  /** a hook failed after the message was stored: the message stays stored and the sweep finishes the work */
  onHookFailed?: (err: unknown, step: 'new-conversation' | 'follow-up', id: string) => void;
}

export type IngestOutcome = 'stored' | 'duplicate';

export interface IngestItemResult {
  externalId: string;
  outcome: IngestOutcome;
  conversationId: string;
  /** set when this message opened a new conversation */
  department?: string;
}

/** One message: a batch of one, on the same path as every batch. */
export async function ingestMessage(raw: InboundMessage, deps: PipelineDeps): Promise<IngestItemResult> {
  const [result] = await ingestBatch([raw], deps);
  if (!result) throw new Error('a batch of one gave no result');
  return result;
}

/**
 * normalize → dedupe → thread → classify → route → record for a whole batch (a webhook request, a poll page, a replay
 * chunk) in a few bulk writes, stored whole or not at all: a failure part-way takes back exactly what this call wrote,
 * so a retry starts clean. The outbox steps (SLA clocks, card and follow-up jobs) run only once every write is done.
 */
export async function ingestBatch(messages: InboundMessage[], deps: PipelineDeps): Promise<IngestItemResult[]> {
  const ledger = emptyLedger();
  let stored;
  try {
    stored = await storeBatch(messages, deps.router, ledger, deps.openingSla);
  } catch (err) {
    await undoBatch(ledger);
    throw err;
  }
  // conversations first: a follow-up's hooks must find its conversation routed
  const leftToSweep = await announceConversations(stored.opened, deps);
  await announceFollowUps(stored.followUps, leftToSweep, deps);
  return stored.results;
}
