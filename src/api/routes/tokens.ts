import { Router } from 'express';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { revokeTokenAudited } from '../../audit/admin';
import { listApiTokens } from '../../store/repositories/tokens';
import { requireRole } from '../auth';
import { actorOfRequest } from './principal';

/** GET /api/tokens and POST /api/tokens/:id/revoke (admin): the CLI's `token list` and `token revoke` over HTTP. */
export function tokenRoutes(): Router {
  const router = Router();
  router.get('/tokens', requireRole('admin'), async (_req, res) => {
    res.json({ data: await listApiTokens() });
  });
  router.post('/tokens/:id/revoke', requireRole('admin'), async (req, res) => {
    const id = String(req.params.id);
    const result = await revokeTokenAudited(id, actorOfRequest(req));
    if (result === 'not_found') throw new NotFoundError(`no token with id or prefix ${id}`);
    if (result === 'ambiguous') throw new ValidationError(`more than one token starts with ${id}: give its id`, [{ field: 'id', message: 'matches more than one token' }]);
    res.json({ data: result });
  });
  return router;
}
