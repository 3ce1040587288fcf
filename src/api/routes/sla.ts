import { Router } from 'express';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import type { SlaPolicy } from '../../domain/sla';
import { atRisk } from '../../sla/at-risk';
import type { ConversationFacts } from '../../sla/facts';
import { dailySeries, slaFigures } from '../../sla/figures';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { isoDate } from '../query';
import { figuresCsv } from '../presenters-csv';

const DAY = 86_400_000;

const windowQuery = z
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

export interface SlaRouteDeps {
  facts: ConversationFacts;
  policyOf: (department: string) => SlaPolicy | undefined;
  warnAt: number;
}

/** SLA figures for managers (JSON and CSV), the daily series, and what is about to breach. */
export function slaRoutes(deps: SlaRouteDeps): Router {
  const router = Router();
  const ready = () => {
    if (!deps.facts.ready) throw new AppError('figures_loading', 'SLA figures are still loading; try again in a few seconds');
  };
  const parse = (query: unknown) => {
    const q = windowQuery.safeParse(query);
    if (!q.success) throw validationError(q.error, 'query');
    return q.data;
  };

  router.get('/reports/sla', requireRole('manager'), (req, res) => {
    ready();
    const q = parse(req.query);
    const groups = slaFigures(deps.facts.values(), q.from, q.to, q.groupBy, new Date());
    res.json({ data: { from: q.from, to: q.to, groupBy: q.groupBy, groups } });
  });

  router.get('/reports/sla.csv', requireRole('manager'), (req, res) => {
    ready();
    const q = parse(req.query);
    const groups = slaFigures(deps.facts.values(), q.from, q.to, q.groupBy, new Date());
    const name = `sla-${q.groupBy}-${q.from.toISOString().slice(0, 10)}-${q.to.toISOString().slice(0, 10)}.csv`;
    res.type('text/csv').attachment(name).send(figuresCsv(groups, q.groupBy));
  });

  router.get('/reports/sla/daily', requireRole('manager'), (req, res) => {
    ready();
    const q = parse(req.query);
    res.json({ data: dailySeries(deps.facts.values(), q.from, q.to, new Date(), q.department, q.tz) });
  });

  router.get('/conversations/at-risk', requireRole('agent'), (req, res) => {
    ready();
    const limit = z.coerce.number().int().min(1).max(200).default(50).safeParse(req.query.limit);
    if (!limit.success) throw validationError(limit.error, 'query');
    res.json({ data: atRisk(deps.facts.values(), deps.policyOf, deps.warnAt, new Date()).slice(0, limit.data) });
  });

  return router;
}
