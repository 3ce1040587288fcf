import { z } from 'zod';

/** POST …/drafts/:draftId/approve: `text` edits the reply before it is approved (edit-and-approve). */
export const approveBody = z.object({ text: z.string().trim().min(1, 'must not be empty').max(10_000).optional().describe('the reply as it is to be sent, when edited') }).strict();

/** POST …/drafts/:draftId/reject: why, which the author is told. */
export const rejectBody = z.object({ reason: z.string().trim().min(1, 'say why: the author is told').max(500) }).strict();

export const draft = z.object({
  id: z.string(),
  conversationId: z.string(),
  department: z.string(),
  policy: z.enum(['confirm', 'approval']),
  state: z.enum(['pending', 'sent', 'rejected', 'discarded']),
  text: z.string(),
  author: z.object({ id: z.string(), name: z.string() }),
  decision: z.object({ by: z.string(), name: z.string(), at: z.string(), reason: z.string().nullable(), edited: z.boolean() }).nullable(),
  messageId: z.string().nullable().describe('the queued reply, once sent'),
  createdAt: z.string().nullable(),
  mayDecide: z.boolean().optional().describe('in the list only: whether the asking token may approve or reject it (manager or admin, not its author, still pending)'),
});
