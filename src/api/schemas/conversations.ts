import { z } from 'zod';
import { decodeCursor } from '../../store/repositories/conversations';
import { isoDate } from '../query';

/** The request schemas of the conversation endpoints: the routes validate with them, /api/openapi.json describes them. */
export const conversationStatus = z.enum(['open', 'waiting', 'resolved']);

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listQuery = z
  .object({
    department: z.string().max(40).optional(),
    status: conversationStatus.optional(),
    channel: z.string().max(40).optional(),
    since: isoDate.optional().describe('ISO 8601 date-time with zone: conversations whose last message came at or after it'),
    q: z.string().trim().min(1).max(100).optional().describe("words in the customer's name or handle or in the first message (any case)"),
    needsReply: flag.optional().describe('false: only conversations that need no reply; true: only those that do'),
    blocked: flag.optional().describe("true: only blocked senders' conversations; false: none of them"),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z
      .string()
      .transform((c, ctx) => decodeCursor(c) ?? (ctx.addIssue({ code: 'custom', message: 'not a cursor this API returned' }), z.NEVER))
      .optional()
      .describe('nextCursor of the previous page'),
  })
  .strict();

export const patchBody = z
  .object({
    department: z.string().max(40).optional().describe('a department key, or triage: a manual reassignment'),
    status: conversationStatus.optional(),
    productFeedback: z.boolean().optional().describe("in (or out of) the product team's feedback digest"),
    reason: z.string().max(500).optional().describe("why it was reassigned (the routing event's reason)"),
    needsReply: z.boolean().optional().describe('true starts the SLA clock (and posts the card if there was none), false stops it'),
  })
  .strict()
  .refine(
    (b) => b.department !== undefined || b.status !== undefined || b.productFeedback !== undefined || b.needsReply !== undefined,
    'give department, status, productFeedback or needsReply',
  );

/** A reply or a note: 1–10,000 characters; a reply also within its channel's limit (X: 280, DMs 10,000). */
export const textBody = z
  .object({ text: z.string().trim().min(1, 'must not be empty').max(10_000) })
  .strict();

export const assignBody = z
  .object({
    assignee: z
      .union([
        z.literal('me').describe("the token's own name"),
        z.object({ name: z.string().trim().min(1).max(100), slackUserId: z.string().regex(/^[UW][A-Z0-9]{2,20}$/).optional() }).strict(),
        z.null().describe('unassign'),
      ]),
  })
  .strict();

/** `Idempotency-Key`: the same key on a retried POST finds the reply it made, so it is sent once. */
export const idempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/, '1–200 printable ASCII characters without spaces');
export const idempotencyHeader = z.object({ 'Idempotency-Key': idempotencyKey.optional() });
