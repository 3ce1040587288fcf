import crypto from 'node:crypto';
import { AppError, ConnectorRateLimitError, ConnectorUnavailableError } from '../../src/domain/errors';
import type { Connector, OutboundReply, SendResult } from '../../src/domain/message';

export interface WebhookReplyOptions {
  /** the webhook `source` whose conversations this answers */
  source: string;
  /** where replies are POSTed */
  url: string;
  /** HMAC-SHA256 key for X-Switchboard-Signature */
  secret: string;
  timeoutMs?: number;
  now?: () => Date;
}

export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';

/** `v1=` + hex HMAC-SHA256 of `${timestamp}.${body}`: the receiver recomputes it and rejects old timestamps (as Slack signs its requests). */
export function signReply(secret: string, timestamp: string, body: string): string {
  return `v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Seconds (or an HTTP date) in Retry-After; a minute when absent or unreadable. */
function retryAt(header: string | null, now: Date): Date {
  const seconds = Number(header);
  if (header && Number.isFinite(seconds)) return new Date(now.getTime() + Math.max(0, seconds) * 1000);
  const date = header ? Date.parse(header) : NaN;
  return Number.isNaN(date) ? new Date(now.getTime() + 60_000) : new Date(date);
}

/**
 * Answers conversations that came in through `POST /api/ingest` by POSTing each reply, signed, to the
 * source's URL. A retry after a lost answer sends the same `Idempotency-Key` (the reply's id), so the
 * receiver can drop the second copy: this channel has nothing we could search for a post that went through.
 */
export function createWebhookReplyConnector(o: WebhookReplyOptions): Connector {
  const now = o.now ?? (() => new Date());
  return {
    kind: 'webhook',
    async send(reply: OutboundReply): Promise<SendResult> {
      const sentAt = now();
      const body = JSON.stringify({
        id: reply.idempotencyKey,
        source: o.source,
        threadKey: reply.threadKey,
        kind: reply.kind,
        inReplyTo: reply.inReplyToExternalId ?? null,
        recipientId: reply.recipientId ?? null,
        text: reply.text,
        createdAt: sentAt.toISOString(),
      });
      const timestamp = String(Math.floor(sentAt.getTime() / 1000));
      let res: Response;
      try {
        res = await fetch(o.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': reply.idempotencyKey,
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signReply(o.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
        });
      } catch (err) {
        throw new ConnectorUnavailableError(`reply endpoint of "${o.source}" unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      const answer = (await res.text().catch(() => '')).slice(0, 2000);
      if (res.status === 429) throw new ConnectorRateLimitError(`reply endpoint of "${o.source}" answered 429`, retryAt(res.headers.get('retry-after'), now()));
      if (res.status >= 500 || res.status === 408) throw new ConnectorUnavailableError(`reply endpoint of "${o.source}" answered ${res.status}`);
      if (!res.ok) throw new AppError('webhook_reply_refused', `reply endpoint of "${o.source}" refused it (${res.status}): ${answer.slice(0, 200) || 'no reason given'}`);
      return resultOf(answer, reply.idempotencyKey);
    },
  };
}

/** The receiver may answer `{id, url}` for its copy of the reply; anything else keeps our id and no link. */
function resultOf(answer: string, ourId: string): SendResult {
  let json: unknown;
  try {
    json = JSON.parse(answer);
  } catch {
    return { externalId: ourId };
  }
  const { id, url } = (typeof json === 'object' && json !== null ? json : {}) as { id?: unknown; url?: unknown };
  const link = typeof url === 'string' && /^https?:\/\//.test(url) ? url : undefined;
  return { externalId: typeof id === 'string' || typeof id === 'number' ? String(id) : ourId, ...(link ? { url: link } : {}) };
}
