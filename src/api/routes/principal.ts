import type { Request } from 'express';
import type { Actor } from '../../actions/types';
import { actorOf } from '../auth';

/** The token behind a request as the actor Activity records (`token:anna`) and Slack shows (`anna`). */
export function actorOfRequest(req: Request): Actor & { userId: string } {
  const surface = req.get('x-switchboard-client') === 'inbox' ? ('inbox' as const) : ('api' as const);
  return { id: actorOf(req.principal), name: req.principal?.name ?? 'the API', userId: `token:${req.principal?.tokenId ?? 'unknown'}`, surface };
}
