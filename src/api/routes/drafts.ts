import express, { Router, type Request } from 'express';
import { draftsOf, rejectDraft, sendDraft, type DraftOutcome, type StoredDraft } from '../../actions/drafts';
import type { ActionDeps } from '../../actions/types';
import { AppError, NotFoundError } from '../../domain/errors';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { approveBody, rejectBody } from '../schemas/drafts';
import { conversationId } from './conversations';
import { actorOfRequest } from './principal';

/** Whether the asking token may decide a draft: manager or admin, not its author, an approval still pending (the inbox shows the buttons). */
const mayDecide = (req: Request, d: StoredDraft) =>
  d.policy === 'approval' && d.state === 'pending' && (req.principal?.role === 'manager' || req.principal?.role === 'admin') && d.author.id !== actorOfRequest(req).id;

const json = express.json({ limit: '64kb' });

export function presentDraft(d: StoredDraft) {
  return {
    id: String(d._id), conversationId: String(d.conversationId), department: d.department, policy: d.policy, state: d.state, text: d.text,
    author: { id: d.author.id ?? '', name: d.author.name ?? '' },
    decision: d.decision?.by
      ? { by: d.decision.by, name: d.decision.name ?? '', at: d.decision.at?.toISOString() ?? '', reason: d.decision.reason ?? null, edited: d.decision.edited ?? false }
      : null,
    messageId: d.messageId ? String(d.messageId) : null,
    createdAt: d.createdAt?.toISOString() ?? null,
  };
}

/** An outcome that changed nothing, as the client's error: what was wrong and with which field. */
function refusal(result: Exclude<DraftOutcome, { outcome: 'sent' | 'rejected' | 'discarded' }>, draftId: string): AppError {
  switch (result.outcome) {
    case 'not_found': return new NotFoundError(`no draft ${draftId} on this conversation`);
    case 'own_draft': return new AppError('forbidden', 'the author of a reply cannot approve or reject it: another approver has to', [{ field: 'Authorization', message: 'this token wrote the reply' }]);
    case 'not_author': return new AppError('forbidden', 'a confirm draft is sent or discarded by its author', [{ field: 'Authorization', message: 'not the author' }]);
    case 'too_long': return new AppError('validation_failed', `the reply is ${result.check.length} characters; at most ${result.check.limit} here`, [{ field: 'text', message: `${result.check.length} characters, at most ${result.check.limit}` }]);
    default: return new AppError('conflict', `the draft is ${result.draft.state} already${result.outcome === 'wrong_policy' ? ' or waits for its author, not an approver' : ''}`, [{ field: 'draftId', message: result.draft.state }]);
  }
}

/** GET a conversation's drafts; POST approve (optionally with an edited `text`) or reject (with a `reason`): manager or admin tokens. */
export function draftRoutes(deps: { actions: ActionDeps }): Router {
  const router = Router();
  const ids = (req: Request) => {
    const id = conversationId(req.params.id as string);
    const draftId = String(req.params.draftId);
    if (!/^[0-9a-f]{24}$/.test(draftId)) throw new AppError('validation_failed', 'draftId must be a 24-character hex id', [{ field: 'draftId', message: 'not an id' }]);
    return { id, draftId };
  };
  const belongs = (result: DraftOutcome, id: string) => !('draft' in result) || String(result.draft.conversationId) === id;

  router.get('/conversations/:id/drafts', requireRole('agent'), async (req, res) => {
    const id = conversationId(req.params.id as string);
    res.json({ data: (await draftsOf(id)).map((d) => ({ ...presentDraft(d), mayDecide: mayDecide(req, d) })) });
  });

  router.post('/conversations/:id/drafts/:draftId/approve', requireRole('manager'), json, async (req, res) => {
    const { id, draftId } = ids(req);
    const body = approveBody.safeParse(req.body ?? {});
    if (!body.success) throw validationError(body.error, 'body');
    const actor = actorOfRequest(req);
    const result = await sendDraft(draftId, actor, deps.actions, body.data.text);
    if (!belongs(result, id)) throw refusal({ outcome: 'not_found' }, draftId);
    if (result.outcome !== 'sent') throw refusal(result as Parameters<typeof refusal>[0], draftId);
    await deps.actions.effects?.draftDecided?.(draftId, actor);
    res.json({ data: presentDraft(result.draft) });
  });

  router.post('/conversations/:id/drafts/:draftId/reject', requireRole('manager'), json, async (req, res) => {
    const { id, draftId } = ids(req);
    const body = rejectBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    const actor = actorOfRequest(req);
    const result = await rejectDraft(draftId, actor, body.data.reason);
    if (!belongs(result, id)) throw refusal({ outcome: 'not_found' }, draftId);
    if (result.outcome !== 'rejected') throw refusal(result as Parameters<typeof refusal>[0], draftId);
    await deps.actions.effects?.draftDecided?.(draftId, actor);
    res.json({ data: presentDraft(result.draft) });
  });
  return router;
}
