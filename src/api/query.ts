import { z } from 'zod';
import { dateOutOfRange } from '../domain/dates';

/** A query's ISO 8601 date-time with zone, as a Date from 2006 to a day ahead (see src/domain/dates). */
export const isoDate = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .superRefine((date, ctx) => {
    const problem = dateOutOfRange(date);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `limit`: a page size from 1 to `max`, `fallback` when absent. */
export const limitParam = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
