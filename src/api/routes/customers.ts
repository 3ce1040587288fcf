import express, { Router } from 'express';
import type { ActionDeps } from '../../actions/types';
import type { Locale } from '../../i18n';
import { eraseCustomer } from '../../privacy/erase';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { eraseBody } from '../schemas/audit';
import { actorOfRequest } from './principal';

/** POST /api/customers/erase (admin): the CLI's `customer erase` over HTTP; answers the counts (all 0 the second time). */
export function customerRoutes(deps: { effects?: ActionDeps['effects']; locale?: Locale }): Router {
  const router = Router();
  router.post('/customers/erase', requireRole('admin'), express.json({ limit: '16kb' }), async (req, res) => {
    const body = eraseBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    res.json({ data: await eraseCustomer(body.data, actorOfRequest(req), { effects: deps.effects, locale: deps.locale ?? 'en' }) });
  });
  return router;
}
