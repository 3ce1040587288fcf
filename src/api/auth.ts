import type { RequestHandler } from 'express';
import { AppError } from '../domain/errors';
import type { TokenRole } from '../store/models/api-token';
import { ApiTokenModel } from '../store/models/api-token';
import { checkToken } from '../store/repositories/tokens';

/** What each role may do: a manager is also an agent; admin may do everything. */
const GRANTS: Record<TokenRole, readonly TokenRole[]> = {
  ingest: ['ingest'],
  agent: ['agent'],
  manager: ['agent', 'manager'],
  admin: ['ingest', 'agent', 'manager', 'admin'],
};

/** The roles whose tokens may call an endpoint that needs `role`. */
const ROLES_WITH = Object.fromEntries(
  (Object.keys(GRANTS) as TokenRole[]).map((role) => [role, (Object.keys(GRANTS) as TokenRole[]).filter((r) => GRANTS[r].includes(role))]),
) as Record<TokenRole, TokenRole[]>;

export interface Principal {
  tokenId: string;
  name: string;
  role: TokenRole;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** How stale a token's recorded last use may be. */
export const LAST_USE_GRANULARITY_MS = 60_000;

/** Bearer token auth: 401 without a valid token, 403 when its role lacks `needed`; `details` say which. */
export function requireRole(needed: TokenRole): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      const message = header ? 'Authorization header must be "Bearer <token>"' : 'missing Authorization: Bearer <token> header';
      throw new AppError('unauthorized', message, [{ field: 'Authorization', message: header ? 'not "Bearer <token>"' : 'missing' }]);
    }
    const checked = await checkToken(match[1]);
    if ('problem' in checked) throw new AppError('unauthorized', checked.problem, [{ field: 'Authorization', message: checked.problem }]);
    const { id, name, role } = checked.token;
    if (!GRANTS[role].includes(needed)) {
      throw new AppError('forbidden', `this endpoint needs a token with role ${needed}; yours has role ${role}`, [
        { field: 'role', message: `needs ${needed} (or one that includes it: ${ROLES_WITH[needed].join(', ')}); the token has ${role}` },
      ]);
    }
    req.principal = { tokenId: id, name, role };
    const now = new Date();
    const stale = new Date(now.getTime() - LAST_USE_GRANULARITY_MS);
    // last use is informative only (a lost update is harmless), and to the minute: one write a minute per busy token, not one per request on its one document
    if (!checked.token.lastUsedAt || checked.token.lastUsedAt < stale) {
      void ApiTokenModel.updateOne({ _id: id, lastUsedAt: { $not: { $gte: stale } } }, { $set: { lastUsedAt: now } }).catch(() => undefined);
    }
    next();
  };
}

export function actorOf(principal: Principal | undefined): string {
  return principal ? `token:${principal.name}` : 'unknown';
}
