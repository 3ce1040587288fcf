import type { RequestHandler } from 'express';
import { AppError } from '../domain/errors';
import type { TokenRole } from '../store/models/api-token';
import { ApiTokenModel } from '../store/models/api-token';
import { findActiveToken } from '../store/repositories/tokens';

/** What each role may do: a manager is also an agent; admin may do everything. */
const GRANTS: Record<TokenRole, readonly TokenRole[]> = {
  ingest: ['ingest'],
  agent: ['agent'],
  manager: ['agent', 'manager'],
  admin: ['ingest', 'agent', 'manager', 'admin'],
};

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

/** Bearer token auth: 401 without a valid token, 403 when its role lacks `needed`. */
export function requireRole(needed: TokenRole): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new AppError('unauthorized', header ? 'Authorization header must be "Bearer <token>"' : 'missing Authorization: Bearer <token> header');
    }
    const token = await findActiveToken(match[1]);
    if (!token) throw new AppError('unauthorized', 'API token is not valid (unknown or revoked)');
    const role = token.role;
    if (!GRANTS[role].includes(needed)) {
      throw new AppError('forbidden', `this endpoint needs a token with role ${needed}; yours has role ${role}`);
    }
    req.principal = { tokenId: String(token._id), name: token.name, role };
    // last use is informative only: a lost update is harmless
    void ApiTokenModel.updateOne({ _id: token._id }, { lastUsedAt: new Date() }).catch(() => undefined);
    next();
  };
}

export function actorOf(principal: Principal | undefined): string {
  return principal ? `token:${principal.name}` : 'unknown';
}
