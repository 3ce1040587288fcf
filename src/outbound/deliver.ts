import type { Types } from 'mongoose';
import { AppError, ConnectorRateLimitError, ConnectorUnavailableError, ReplyNotAllowedError } from '../domain/errors';
import type { Connector, SendResult } from '../domain/message';
import { ConversationModel } from '../store/models/conversation';
import { MessageModel } from '../store/models/message';
import { withLease } from '../store/repositories/leases';
import { outboundReplyOf } from './reply';

export interface DeliveryDeps {
  connectorFor(channel: string, account: string): Connector | undefined;
  /** queues telling the thread how a finished reply went (its own job: Slack's trouble never changes the outcome) */
  report?: (messageId: string) => Promise<void>;
  /** the customer has an answer: the SLA clocks hear it */
  onSent?: (conversationId: string, at: Date) => Promise<void>;
  maxAttempts: number;
  retryBaseMs: number;
  owner: string;
  /** how long a dead worker's hold on a reply lasts (renewed while it sends): the jobs' lock lifetime; default 30 s */
  leaseMs?: number;
  now?: () => Date;
}

export type DeliveryOutcome =
  | { state: 'sent' | 'done' | 'busy' }
  | { state: 'failed'; reason: string }
  | { state: 'retry'; retryAt: Date };

const LEASE_MS = 30_000;

/**
 * Delivers one queued reply through the connector its conversation came from, exactly once:
 * an attempt whose answer was lost is looked up at the channel before anything is sent again.
 */
export async function deliverReply(messageId: Types.ObjectId | string, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  // the lease stays: the sweep's queueOnce re-arms (unlocks) a job that may still be running, and a twin must not send
  const busy: DeliveryOutcome = { state: 'busy' };
  return withLease(`deliver:${String(messageId)}`, deps.owner, deps.leaseMs ?? LEASE_MS, () => attempt(messageId, deps), busy, deps.now?.());
}

async function attempt(messageId: Types.ObjectId | string, deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const now = deps.now?.() ?? new Date();
  const message = await MessageModel.findById(messageId).lean();
  const delivery = message?.delivery;
  if (!message || !delivery || delivery.state === 'sent' || delivery.state === 'failed') return { state: 'done' };
  const conversation = await ConversationModel.findById(message.conversationId).lean();
  const connector = conversation && deps.connectorFor(conversation.channel, conversation.account);
  if (!conversation || !connector) {
    const where = `${conversation?.channel ?? '?'} account "${conversation?.account ?? '?'}"`;
    return fail(message, deps, `nothing can send to the ${where}${conversation?.channel === 'webhook' ? ': give the source a reply URL in WEBHOOK_REPLY_URLS' : ''}`);
  }

  const reply = await outboundReplyOf(message, conversation);

  let result: SendResult;
  let attempts = delivery.attempts;
  try {
    // an earlier attempt may have been posted without us hearing so: ask the channel first
    const uncertain = delivery.state === 'sending' || delivery.uncertain === true;
    // a margin for clock skew between us and the channel
    const since = uncertain && delivery.attemptStartedAt && connector.findSent ? new Date(delivery.attemptStartedAt.getTime() - 120_000) : undefined;
    const found = since && (await connector.findSent?.(reply, since));
    if (found) result = found;
    else {
      // the attempt's fields only, and only while the reply is unfinished: a twin's outcome is never overwritten
      const started = await MessageModel.findOneAndUpdate(
        { _id: message._id, 'delivery.state': { $in: ['queued', 'sending'] } },
        { $set: { 'delivery.state': 'sending', 'delivery.attemptStartedAt': now }, $inc: { 'delivery.attempts': 1 } },
        { returnDocument: 'after', projection: { 'delivery.attempts': 1 } },
      ).lean<{ delivery?: { attempts?: number } }>();
      if (!started) return { state: 'done' };
      attempts = started.delivery?.attempts ?? attempts + 1;
      result = await connector.send(reply);
    }
  } catch (err) {
    return retryOrFail(message, attempts, err, deps, now);
  }
  // the channel took it: from here on nothing may turn the reply back into queued or failed
  return sent(message, conversation._id, result, deps, now);
}

type StoredMessage = { _id: Types.ObjectId };

async function sent(message: StoredMessage, conversationId: unknown, result: SendResult, deps: DeliveryDeps, now: Date): Promise<DeliveryOutcome> {
  await MessageModel.updateOne(
    { _id: message._id },
    { $set: { 'delivery.state': 'sent', 'delivery.sentExternalId': result.externalId, 'delivery.sentUrl': result.url, 'delivery.sentAt': now }, $unset: { 'delivery.lastError': 1 } },
  );
  await ConversationModel.updateOne({ _id: conversationId, firstResponseAt: { $exists: false } }, { $set: { firstResponseAt: now } });
  await deps.report?.(String(message._id));
  await deps.onSent?.(String(conversationId), now);
  return { state: 'sent' };
}

async function fail(message: StoredMessage, deps: DeliveryDeps, reason: string, how: { refusal?: string; gaveUpAfter?: number } = {}): Promise<DeliveryOutcome> {
  const { refusal, gaveUpAfter } = how;
  // never over a twin's 'sent': a reply the channel took stays sent
  await MessageModel.updateOne({ _id: message._id, 'delivery.state': { $ne: 'sent' } }, { $set: { 'delivery.state': 'failed', 'delivery.lastError': reason, ...(refusal ? { 'delivery.refusal': refusal } : {}), ...(gaveUpAfter ? { 'delivery.gaveUp': true } : {}) } });
  await deps.report?.(String(message._id));
  return { state: 'failed', reason: gaveUpAfter ? `gave up after ${gaveUpAfter} attempts: ${reason}` : reason };
}

async function retryOrFail(message: StoredMessage, attemptsSoFar: number, err: unknown, deps: DeliveryDeps, now: Date): Promise<DeliveryOutcome> {
  const attempts = Math.max(attemptsSoFar, 1);
  const transient = err instanceof ConnectorRateLimitError || err instanceof ConnectorUnavailableError;
  const reason = err instanceof Error ? err.message : String(err);
  // the agent may send it another way: the thread offers the choice
  if (err instanceof ReplyNotAllowedError) return fail(message, deps, reason, { refusal: err.code });
  if (!transient) return fail(message, deps, err instanceof AppError ? reason : `unexpected error: ${reason}`);
  if (attempts >= deps.maxAttempts) return fail(message, deps, reason, { gaveUpAfter: attempts });
  const backoff = deps.retryBaseMs * 2 ** (attempts - 1);
  const retryAt = err instanceof ConnectorRateLimitError && err.resetAt > now ? err.resetAt : new Date(now.getTime() + backoff);
  // a 429 means nothing was posted; a 5xx or a lost connection may hide a post that went through
  const uncertain = !(err instanceof ConnectorRateLimitError);
  await MessageModel.updateOne(
    { _id: message._id, 'delivery.state': { $ne: 'sent' } },
    { $set: { 'delivery.state': 'queued', 'delivery.lastError': reason, 'delivery.nextAttemptAt': retryAt, 'delivery.uncertain': uncertain } },
  );
  return { state: 'retry', retryAt };
}
