import { z } from 'zod';
import type { InboundMessage } from '../../src/domain/message';

const id = z.string().trim().min(1).max(200);

/** One message as `POST /api/ingest` takes it; README documents the same fields. */
export const webhookMessageSchema = z
  .object({
    source: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'letters, digits, _ . - (1–100)'),
    externalId: id,
    threadKey: id.optional(),
    kind: z.enum(['mention', 'dm', 'post']).default('mention'),
    author: z
      .object({
        id: z.string().max(200).optional(),
        handle: z.string().max(200).optional(),
        name: z.string().max(200).optional(),
        profileUrl: z.url({ protocol: /^https?$/ }).optional(),
      })
      .strict()
      .refine((a) => Boolean(a.id ?? a.handle ?? a.name), 'needs at least one of id, handle, name'),
    text: z.string().trim().min(1, 'must not be empty').max(10_000),
    createdAt: z.iso.datetime({ offset: true }),
    url: z.url({ protocol: /^https?$/ }).optional(),
    inReplyTo: id.optional(),
    raw: z.unknown().optional(),
  })
  .strict();

export type WebhookMessage = z.infer<typeof webhookMessageSchema>;

/** One message or an array of them; a batch is stored whole or not at all when invalid. */
export function webhookBodySchema(body: unknown, maxBatch: number) {
  return Array.isArray(body)
    ? z
        .array(webhookMessageSchema)
        .min(1, 'a batch needs at least one message')
        .max(maxBatch, `a batch holds at most ${maxBatch} messages`)
    : webhookMessageSchema.transform((m) => [m]);
}

export function toInbound(m: WebhookMessage): InboundMessage {
  return {
    channel: 'webhook',
    account: m.source,
    externalId: m.externalId,
    threadKey: m.threadKey ?? m.externalId,
    kind: m.kind,
    author: m.author,
    text: m.text,
    createdAt: new Date(m.createdAt),
    url: m.url,
    inReplyToExternalId: m.inReplyTo,
    raw: m.raw,
  };
}
