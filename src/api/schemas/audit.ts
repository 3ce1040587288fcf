import { z } from 'zod';
import { decodeAuditCursor } from '../../audit/read';
import { SURFACES } from '../../store/models/audit-record';
import { isoDate, limitParam } from '../query';

/** GET /api/audit and /api/audit.csv: the filters, a page and where it starts. */
export const auditQuery = z
  .object({
    actor: z.string().min(1).max(200).optional().describe('who acted: slack:U123, token:anna, cli:root, system:retention'),
    action: z.string().regex(/^[a-z]+\.[a-z-]+$/, 'an action such as conversation.assigned or token.created').optional(),
    surface: z.enum(SURFACES).optional(),
    target: z.string().min(1).max(200).optional().describe('a target id: conversation id, token id, department key, model version'),
    conversation: z.string().regex(/^[0-9a-f]{24}$/, 'a conversation id (24 hex digits)').optional().describe('the same as target, for a conversation'),
    from: isoDate.optional().describe('records at or after it'),
    to: isoDate.optional().describe('records before it'),
    limit: limitParam(500, 50),
    cursor: z
      .string()
      .transform((c, ctx) => decodeAuditCursor(c) ?? (ctx.addIssue({ code: 'custom', message: 'not a cursor this API returned' }), z.NEVER))
      .optional()
      .describe('next of the previous page'),
    format: z.enum(['json', 'csv']).optional().describe('csv: the same as /api/audit.csv'),
  })
  .strict()
  .refine((q) => !(q.target && q.conversation && q.target !== q.conversation), { message: 'give target or conversation, not two different ones', path: ['conversation'] })
  .refine((q) => !(q.from && q.to && q.from >= q.to), { message: 'must be after from', path: ['to'] });

/** POST /api/customers/erase: a customer of a channel, by author id or handle. */
export const eraseBody = z
  .object({
    channel: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a channel kind: x, webhook, ...'),
    authorId: z.string().trim().min(1).max(200).optional(),
    handle: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((b) => b.authorId !== undefined || b.handle !== undefined, { message: 'give authorId or handle', path: ['authorId'] });

const auditRecord = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  actor: z.string(),
  surface: z.enum(SURFACES),
  action: z.string(),
  target: z.object({ kind: z.string(), id: z.string() }),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});
export const auditPage = z.object({ data: z.array(auditRecord), next: z.string().nullable() });
