import express, { Router } from 'express';
import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import { AppError, NotFoundError } from '../../domain/errors';
import { TRIAGE } from '../../domain/department';
import type { ConversationEvents } from '../../domain/events';
import type { Router as DepartmentRouter } from '../../routing/router';
import {
  conversationWithMessages,
  decodeCursor,
  listConversations,
  reassignConversation,
  setConversationStatus,
} from '../../store/repositories/conversations';
import { actorOf, requireRole } from '../auth';
import { validationError } from '../errors';
import { isoDate } from '../query';
import { presentConversation, presentMessage } from '../presenters';

const listQuery = z
  .object({
    department: z.string().max(40).optional(),
    status: z.enum(['open', 'waiting', 'resolved']).optional(),
    channel: z.string().max(40).optional(),
    since: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z
      .string()
      .transform((c, ctx) => decodeCursor(c) ?? (ctx.addIssue({ code: 'custom', message: 'not a cursor this API returned' }), z.NEVER))
      .optional(),
  })
  .strict();

const patchBody = z
  .object({
    department: z.string().max(40).optional(),
    status: z.enum(['open', 'waiting', 'resolved']).optional(),
    reason: z.string().max(500).optional(),
  })
  .strict()
  .refine((b) => b.department !== undefined || b.status !== undefined, 'give department or status');

function conversationId(raw: string): string {
  if (!isValidObjectId(raw)) throw new NotFoundError(`no conversation with id ${raw}`);
  return raw;
}

/** Called after a person moved a conversation (Slack moves its card). */
export type OnReassigned = (conversationId: string, to: string, by: string) => Promise<void>;

export function conversationRoutes(departments: DepartmentRouter, onReassigned?: OnReassigned, events?: ConversationEvents): Router {
  const router = Router();

  router.get('/conversations', requireRole('agent'), async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) throw validationError(q.error, 'query');
    const { limit, cursor, ...filter } = q.data;
    const page = await listConversations(filter, limit, cursor);
    res.json({ data: page.items.map(presentConversation), nextCursor: page.nextCursor });
  });

  router.get('/conversations/:id', requireRole('agent'), async (req, res) => {
    const found = await conversationWithMessages(conversationId(req.params.id as string));
    if (!found) throw new NotFoundError(`no conversation with id ${String(req.params.id)}`);
    res.json({ data: { ...presentConversation(found.conversation), messages: found.messages.map(presentMessage) } });
  });

  router.patch('/conversations/:id', requireRole('agent'), express.json({ limit: '16kb' }), async (req, res) => {
    const id = conversationId(req.params.id as string);
    const body = patchBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    const { department, status, reason } = body.data;
    if (department !== undefined && department !== TRIAGE && !departments.hasDepartment(department)) {
      throw new AppError('validation_failed', `unknown department "${department}"`, [{ field: 'department', message: 'no such department' }]);
    }
    if (department !== undefined) {
      const moved = await reassignConversation(id, department, actorOf(req.principal), reason);
      if (!moved) throw new NotFoundError(`no conversation with id ${id}`);
      if (moved.changed) {
        await events?.reassigned(id, department, new Date());
        await onReassigned?.(id, department, req.principal?.name ?? 'the API');
      }
    }
    if (status !== undefined) {
      const at = new Date();
      if (!(await setConversationStatus(id, status, at))) throw new NotFoundError(`no conversation with id ${id}`);
      await events?.statusChanged(id, status, at);
    }
    const found = await conversationWithMessages(id);
    if (!found) throw new NotFoundError(`no conversation with id ${id}`);
    res.json({ data: presentConversation(found.conversation) });
  });

  return router;
}
