import { z } from 'zod';
import { dateOutOfRange, MESSAGE_CLOCK_SKEW_MS } from '../../src/domain/dates';
import type { InboundMessage } from '../../src/domain/message';
import { DEFAULT_RAW_LIMITS, rawProblem, type RawLimits } from './raw';

const id = z.string().trim().min(1).max(200);

/** An ISO 8601 date-time with zone, from 2006 to a few minutes ahead of our clock (see src/domain/dates). */
const createdAt = z.iso.datetime({ offset: true }).pipe(
  z.string().superRefine((value, ctx) => {
    const problem = dateOutOfRange(new Date(value), new Date(), MESSAGE_CLOCK_SKEW_MS);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
);

const rawSchema = (limits: RawLimits) =>
  z.unknown().superRefine((value, ctx) => {
    const problem = rawProblem(value, limits);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

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
    createdAt,
    url: z.url({ protocol: /^https?$/ }).optional(),
    inReplyTo: id.optional(),
    raw: rawSchema(DEFAULT_RAW_LIMITS).optional(),
  })
  .strict();

export type WebhookMessage = z.infer<typeof webhookMessageSchema>;

export interface WebhookLimits {
  maxBatch: number;
  raw?: RawLimits;
}

/** One message or an array of them; a batch is stored whole or not at all when invalid. */
export function webhookBodySchema(body: unknown, { maxBatch, raw }: WebhookLimits) {
  const message = raw ? webhookMessageSchema.extend({ raw: rawSchema(raw).optional() }).strict() : webhookMessageSchema;
  return Array.isArray(body)
    ? z
        .array(message)
        .min(1, 'a batch needs at least one message')
        .max(maxBatch, `a batch holds at most ${maxBatch} messages`)
    : message.transform((m) => [m]);
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
