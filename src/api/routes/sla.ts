import { Router } from 'express';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import type { SlaPolicy } from '../../domain/sla';
import { slaWatch } from '../../sla/at-risk';
import { dailySeries, slaFigures } from '../../sla/figures';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { isoDate, limitParam } from '../query';
import { figuresCsv } from '../presenters-csv';

const DAY = 86_400_000;

export const windowQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    groupBy: z.enum(['department', 'channel', 'agent']).default('department'),
    department: z.string().max(40).optional(),
    /** the zone whose calendar days the daily series counts (IANA name, e.g. Europe/Berlin) */
    tz: z.string().max(64).refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as Europe/Berlin').optional(),
  })
  .strict()
  .transform((q, ctx) => {
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - 7 * DAY);
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    if (to.getTime() - from.getTime() > 366 * DAY) ctx.addIssue({ code: 'custom', path: ['from'], message: 'a window spans at most 366 days' });
    return { ...q, from, to };
  });

const watchQuery = z.object({ limit: limitParam(200, 50) }).strict();

export interface SlaRouteDeps {
  policyOf: (department: string) => SlaPolicy | undefined;
}

/** SLA figures for managers (JSON and CSV), the daily series, and what is about to breach. */
export function slaRoutes(deps: SlaRouteDeps): Router {
  const router = Router();
  const parse = (query: unknown) => {
    const q = windowQuery.safeParse(query);
    if (!q.success) throw validationError(q.error, 'query');
    return q.data;
  };

  router.get('/reports/sla', requireRole('manager'), async (req, res) => {
    const q = parse(req.query);
    const groups = await slaFigures(q.from, q.to, q.groupBy, new Date());
    res.json({ data: { from: q.from, to: q.to, groupBy: q.groupBy, groups } });
  });

  router.get('/reports/sla.csv', requireRole('manager'), async (req, res) => {
    const q = parse(req.query);
    const groups = await slaFigures(q.from, q.to, q.groupBy, new Date());
    const name = `sla-${q.groupBy}-${q.from.toISOString().slice(0, 10)}-${q.to.toISOString().slice(0, 10)}.csv`;
    res.type('text/csv').attachment(name).send(figuresCsv(groups, q.groupBy));
  });

  router.get('/reports/sla/daily', requireRole('manager'), async (req, res) => {
    const q = parse(req.query);
    res.json({ data: await dailySeries(q.from, q.to, new Date(), q.department, q.tz) });
  });

  router.get('/conversations/at-risk', requireRole('agent'), async (req, res) => {
    const q = watchQuery.safeParse(req.query);
    if (!q.success) throw validationError(q.error, 'query');
    res.json({ data: await slaWatch(new Date(), q.data.limit, deps.policyOf) });
  });

  return router;
}
