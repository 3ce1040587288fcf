import express, { Router } from 'express';
import { isValidObjectId } from 'mongoose';
import { changeStatus, markFeedback, reassign } from '../../actions/conversation';
import { setNeedsReply } from '../../actions/screening';
import type { ActionDeps } from '../../actions/types';
import { AppError } from '../../domain/errors';
import { TRIAGE } from '../../domain/department';
import type { Router as DepartmentRouter } from '../../routing/router';
import { ActivityModel } from '../../store/models/activity';
import { conversationWithMessages, listConversations } from '../../store/repositories/conversations';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { presentActivity, presentConversation, presentMessage } from '../presenters';
import { listQuery, patchBody } from '../schemas/conversations';
import { actorOfRequest } from './principal';

/** 404 naming the id, for an id that is not a conversation's. */
export function noConversation(id: string): AppError {
  return new AppError('not_found', `no conversation with id ${id}`, [{ field: 'id', message: 'no such conversation' }]);
}

export function conversationId(raw: string): string {
  if (!isValidObjectId(raw) || !/^[0-9a-f]{24}$/i.test(raw)) throw noConversation(raw);
  return raw;
}

export interface ConversationRouteDeps {
  departments: DepartmentRouter;
  actions: ActionDeps;
}

/** The list, one conversation with its messages and activity, and PATCH (department, status, feedback, needs a reply) through src/actions. */
export function conversationRoutes(deps: ConversationRouteDeps): Router {
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
    if (!found) throw noConversation(String(req.params.id));
    const activity = await ActivityModel.find({ conversationId: found.conversation._id }).sort({ createdAt: 1, _id: 1 }).limit(500).lean();
    res.json({ data: { ...presentConversation(found.conversation), messages: found.messages.map(presentMessage), activity: activity.map(presentActivity) } });
  });

  router.patch('/conversations/:id', requireRole('agent'), express.json({ limit: '16kb' }), async (req, res) => {
    const id = conversationId(req.params.id as string);
    const body = patchBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    const { department, status, productFeedback, reason, needsReply } = body.data;
    if (department !== undefined && department !== TRIAGE && !deps.departments.hasDepartment(department)) {
      throw new AppError('validation_failed', `unknown department "${department}"`, [{ field: 'department', message: 'no such department' }]);
    }
    const actor = actorOfRequest(req);
    const missing = () => noConversation(id);
    if (department !== undefined && !(await reassign(id, department, actor, deps.actions, reason))) throw missing();
    if (status !== undefined && !(await changeStatus(id, status, actor, deps.actions))) throw missing();
    if (productFeedback !== undefined && !(await markFeedback(id, productFeedback, actor, deps.actions))) throw missing();
    if (needsReply !== undefined && !(await setNeedsReply(id, needsReply, actor, deps.actions))) throw missing();
    const found = await conversationWithMessages(id);
    if (!found) throw missing();
    res.json({ data: presentConversation(found.conversation) });
  });

  return router;
}
