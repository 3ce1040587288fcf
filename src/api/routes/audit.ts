import { Router, type Request, type Response } from 'express';
import { AUDIT_CSV_HEADER, auditCsvRow, eachAudit, listAudit, presentAudit, type AuditFilter } from '../../audit/read';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { auditQuery } from '../schemas/audit';
import { conversationId } from './conversations';

function parse(req: Request) {
  const q = auditQuery.safeParse(req.query);
  if (!q.success) throw validationError(q.error, 'query');
  const { limit, cursor, format, conversation, target, ...rest } = q.data;
  const filter: AuditFilter = { ...rest, ...(target ?? conversation ? { target: target ?? conversation } : {}) };
  return { filter, limit, cursor, format };
}

/** Writes the filter's records as CSV, page by page, waiting for the client when its buffer is full. */
async function streamCsv(res: Response, filter: AuditFilter): Promise<void> {
  res.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="audit.csv"');
  res.write(AUDIT_CSV_HEADER);
  for await (const row of eachAudit(filter)) {
    if (res.destroyed) return;
    if (!res.write(auditCsvRow(row))) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** GET /api/audit (JSON pages, or CSV) and /api/audit.csv, admin only; a conversation's history for agents. */
export function auditRoutes(): Router {
  const router = Router();
  router.get('/audit', requireRole('admin'), async (req, res) => {
    const { filter, limit, cursor, format } = parse(req);
    if (format === 'csv') return streamCsv(res, filter);
    const page = await listAudit(filter, limit, cursor);
    res.json({ data: page.items.map(presentAudit), next: page.nextCursor });
  });
  router.get('/audit.csv', requireRole('admin'), async (req, res) => {
    await streamCsv(res, parse(req).filter);
  });
  // what the web inbox shows under a conversation: its own records, oldest first (the newest 200)
  router.get('/conversations/:id/history', requireRole('agent'), async (req, res) => {
    const page = await listAudit({ target: conversationId(req.params.id as string) }, 200);
    res.json({ data: page.items.reverse().map(presentAudit) });
  });
  return router;
}
