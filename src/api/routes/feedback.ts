import { Router } from 'express';
import { z } from 'zod';
import { buildDigest } from '../../feedback/digest';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { isoDate } from '../query';

const DAY_MS = 24 * 60 * 60_000;

/** from/to default to the 7 days before now; a period runs forwards and spans at most a year. */
export const digestQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict()
  .transform((q, ctx) => {
    const to = q.to ?? new Date();
    const from = q.from ?? new Date(to.getTime() - 7 * DAY_MS);
    if (from >= to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be before to' });
    else if (to.getTime() - from.getTime() > 366 * DAY_MS) ctx.addIssue({ code: 'custom', path: ['to'], message: 'at most 366 days after from' });
    return { from, to, limit: q.limit };
  });

export function feedbackRoutes(options: { linkBase?: string } = {}): Router {
  const router = Router();

  router.get('/feedback/digest', requireRole('agent'), async (req, res) => {
    const q = digestQuery.safeParse(req.query);
    if (!q.success) throw validationError(q.error, 'query');
    res.json({ data: await buildDigest({ from: q.data.from, to: q.data.to, limitThemes: q.data.limit, linkBase: options.linkBase }) });
  });

  return router;
}
