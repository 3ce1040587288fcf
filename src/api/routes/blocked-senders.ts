import express, { Router } from 'express';
import { blockSender } from '../../actions/screening';
import type { ActionDeps } from '../../actions/types';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { unblockSenderAudited } from '../../audit/admin';
import { listBlockedSenders } from '../../store/repositories/blocked-senders';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { blockBody } from '../schemas/blocked-senders';
import { actorOfRequest } from './principal';

/** GET, POST and DELETE /api/blocked-senders (manager or admin): the CLI's `sender list|block|unblock` over HTTP. */
export function blockedSenderRoutes(actions: ActionDeps): Router {
  const router = Router();
  router.get('/blocked-senders', requireRole('manager'), async (_req, res) => {
    res.json({ data: await listBlockedSenders() });
  });
  router.post('/blocked-senders', requireRole('manager'), express.json({ limit: '16kb' }), async (req, res) => {
    const body = blockBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    const result = await blockSender(body.data, actorOfRequest(req), actions);
    res.status(result.created ? 201 : 200).json({ data: result.sender, conversations: result.conversations });
  });
  router.delete('/blocked-senders/:id', requireRole('manager'), async (req, res) => {
    const id = String(req.params.id);
    const result = await unblockSenderAudited(id, actorOfRequest(req));
    if (result === 'not_found') throw new NotFoundError(`no blocked sender with id or handle ${id}`);
    if (result === 'ambiguous') throw new ValidationError(`more than one blocked sender has the handle ${id}: give its id or channel:handle`, [{ field: 'id', message: 'matches more than one sender' }]);
    res.json({ data: result });
  });
  return router;
}
