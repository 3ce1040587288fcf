import { Router } from 'express';
import { planRetention, presentPlan } from '../../retention/plan';
import { requireRole } from '../auth';

/** POST /api/retention/dry-run (admin): what the retention job would delete now, per department with the ids. */
export function retentionRoutes(deps: { defaultDays?: number }): Router {
  const router = Router();
  router.post('/retention/dry-run', requireRole('admin'), async (_req, res) => {
    res.json({ data: presentPlan(await planRetention(deps.defaultDays)) });
  });
  return router;
}
