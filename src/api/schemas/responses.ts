import { z } from 'zod';

/** What the API answers, for /api/openapi.json (the presenters in ../presenters.ts build these shapes). */
const date = z.iso.datetime();
const nullableDate = date.nullable();

export const errorBody = z.object({
  error: z.object({
    code: z.string().describe('validation_failed, unauthorized, forbidden, not_found, conflict, channel_cannot_send, store_unavailable, …'),
    message: z.string(),
    details: z.unknown().optional().describe('for a validation error: [{field, message}] naming each bad field'),
  }),
});

const author = z.object({ id: z.string().optional(), handle: z.string().optional(), name: z.string().optional(), profileUrl: z.string().optional() });

export const conversation = z.object({
  id: z.string(),
  channel: z.string(),
  account: z.string(),
  threadKey: z.string(),
  kind: z.enum(['mention', 'dm', 'post']),
  customer: author,
  preview: z.string(),
  department: z.string(),
  status: z.enum(['open', 'waiting', 'resolved']),
  assignee: z.object({ name: z.string().nullable(), slackUserId: z.string().nullable() }).nullable(),
  productFeedback: z.boolean(),
  needsReply: z.boolean().describe('false: no reply needed (thanks, praise, chit-chat, spam): no SLA clock, no card unless NO_REPLY_CARDS=channel'),
  reply: z.object({ score: z.number().nullable(), reason: z.string().nullable(), by: z.string().nullable(), at: nullableDate }).nullable()
    .describe("the no-reply detector's probability that no reply is needed and why, or the agent who set needsReply"),
  blocked: z.boolean().describe('its sender is on the blocked list: never routed, carded or timed'),
  routing: z.object({
    method: z.enum(['model', 'triage', 'manual', 'rule']),
    label: z.string().optional(),
    confidence: z.number().optional(),
    scores: z.record(z.string(), z.number()),
    lang: z.string().optional(),
    terms: z.array(z.string()).optional(),
    runnerUp: z.object({ department: z.string(), score: z.number() }).nullable(),
  }),
  messageCount: z.number().int(),
  firstMessageAt: date,
  lastMessageAt: date,
  resolvedAt: nullableDate,
  reopenedAt: nullableDate,
});

export const message = z.object({
  id: z.string(),
  externalId: z.string(),
  direction: z.enum(['inbound', 'outbound', 'note']).describe('outbound: an agent\'s reply; note: internal, never sent'),
  kind: z.enum(['mention', 'dm', 'post']),
  author,
  text: z.string(),
  sentAt: date,
  url: z.string().nullable(),
  delivery: z
    .object({
      state: z.enum(['queued', 'sending', 'sent', 'failed']),
      attempts: z.number().int(),
      lastError: z.string().nullable().describe("the channel's last answer"),
      gaveUp: z.boolean().describe('failed because every attempt did (retries exhausted)'),
      refusal: z.string().nullable().describe('reply_not_allowed: X takes it only as a DM or a new post'),
      sentAt: nullableDate,
      sentUrl: z.string().nullable(),
    })
    .nullable(),
});

export const activity = z.object({
  id: z.string(),
  type: z.enum(['assigned', 'unassigned', 'reassigned', 'resolved', 'waiting', 'reopened', 'feedback', 'replied', 'note']),
  actor: z.string().describe('slack:<user id> or token:<token name>'),
  details: z.record(z.string(), z.unknown()).nullable(),
  at: date,
});

export const conversationDetail = conversation.extend({ messages: z.array(message), activity: z.array(activity) });

export const data = <T extends z.ZodType>(schema: T) => z.object({ data: schema });
export const anyData = z.object({ data: z.unknown() });
