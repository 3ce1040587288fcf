import { Router } from 'express';
import { z } from 'zod';
import { listModels } from '../../store/repositories/classifier-models';
import { listDepartments } from '../../store/repositories/departments';
import { recentRoutingEvents } from '../../store/repositories/routing-events';
import { routingStats } from '../../store/repositories/routing-stats';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { isoDate, limitParam } from '../query';

export const statsQuery = z
  .object({
    since: isoDate.optional(),
    until: isoDate.optional(),
  })
  .strict();

export function reportRoutes(): Router {
  const router = Router();

  router.get('/departments', requireRole('agent'), async (_req, res) => {
    const departments = await listDepartments();
    res.json({
      data: departments.map((d) => ({ key: d.key, name: d.name, slackChannel: d.slackChannel ?? null, sla: d.sla })),
    });
  });

  router.get('/stats/routing', requireRole('manager'), async (req, res) => {
    const q = statsQuery.safeParse(req.query);
    if (!q.success) throw validationError(q.error, 'query');
    res.json({ data: await routingStats(q.data.since, q.data.until) });
  });

  router.get('/routing/events', requireRole('manager'), async (req, res) => {
    const limit = limitParam(200, 50).safeParse(req.query.limit);
    if (!limit.success) throw validationError(limit.error, 'query');
    res.json({ data: await recentRoutingEvents(limit.data) });
  });

  router.get('/classifier/models', requireRole('manager'), async (_req, res) => {
    const models = await listModels();
    res.json({
      data: models.map((m) => ({ version: m.version, active: m.active, labels: m.labels, trainedOn: m.trainedOn, metrics: m.metrics as Record<string, unknown>, createdAt: m.createdAt })),
    });
  });

  return router;
}
