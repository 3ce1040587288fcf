import { z } from 'zod';

/** POST /api/blocked-senders: a channel and the author id or handle its messages carry. */
export const blockBody = z
  .object({
    channel: z.string().trim().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a channel kind such as x or webhook'),
    authorId: z.string().trim().min(1).max(100).optional().describe("the author id the channel gives (X: the user's numeric id)"),
    handle: z.string().trim().regex(/^@?[\w.-]{1,100}$/, 'a handle such as @someone').optional().describe('matched in any case, with or without @'),
    name: z.string().trim().max(200).optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((b) => b.authorId !== undefined || b.handle !== undefined, { message: 'give authorId or handle', path: ['authorId'] });

export const blockedSender = z.object({
  id: z.string(),
  channel: z.string(),
  authorId: z.string().optional(),
  handle: z.string().optional(),
  name: z.string().optional(),
  reason: z.string().optional(),
  by: z.string(),
  createdAt: z.string().optional(),
});
