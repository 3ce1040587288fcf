import crypto from 'node:crypto';
import express, { Router, type Request } from 'express';
import { assignConversation } from '../../actions/conversation';
import { writeToConversation } from '../../actions/messages';
import { createDraft } from '../../actions/drafts';
import type { ReplyPolicy } from '../../domain/department';
import { presentDraft } from './drafts';
import type { ActionDeps } from '../../actions/types';
import { AppError, NotFoundError } from '../../domain/errors';
import { replyLength } from '../../outbound/limits';
import { ConversationModel } from '../../store/models/conversation';
import { MessageModel } from '../../store/models/message';
import { requireRole } from '../auth';
import { validationError } from '../errors';
import { presentConversation, presentMessage } from '../presenters';
import { assignBody, idempotencyHeader, textBody } from '../schemas/conversations';
import { conversationId, noConversation } from './conversations';
import { actorOfRequest } from './principal';

export interface ConversationActionDeps {
  actions: ActionDeps;
  /** whether something can send on (channel, account); absent: every channel is taken to answer */
  canSend?: (channel: string, account: string) => boolean;
  /** the department's reply policy: in an `approval` department a reply is held as a draft for an approver */
  replyPolicyOf?: (department: string) => ReplyPolicy;
}

const json = express.json({ limit: '64kb' });

async function loadConversation(id: string) {
  const conversation = await ConversationModel.findById(id, { channel: 1, account: 1, kind: 1, department: 1 }).lean();
  if (!conversation) throw noConversation(id);
  return conversation;
}

function parseText(req: Request): string {
  const body = textBody.safeParse(req.body);
  if (!body.success) throw validationError(body.error, 'body');
  return body.data.text;
}

/** The key a retried request repeats; without one every request is a new message. Scoped to the token and the conversation. */
function messageKey(req: Request, id: string): string {
  const header = idempotencyHeader.safeParse({ 'Idempotency-Key': req.get('idempotency-key') });
  if (!header.success) throw validationError(header.error, 'header');
  return `api:${id}:${req.principal?.tokenId ?? 'unknown'}:${header.data['Idempotency-Key'] ?? crypto.randomUUID()}`;
}

/** POST replies, notes and assign: the agent actions of the Slack card, through src/actions. */
export function conversationActionRoutes(deps: ConversationActionDeps): Router {
  const router = Router();

  const write = (note: boolean) => async (req: Request, res: express.Response) => {
    const id = conversationId(req.params.id as string);
    const text = parseText(req);
    const key = messageKey(req, id);
    const conversation = await loadConversation(id);
    if (!note) {
      const { length, limit } = replyLength(conversation.channel, conversation.kind, text);
      if (length > limit) {
        throw new AppError('validation_failed', `the reply is ${length} characters; ${conversation.channel} allows at most ${limit} here`, [
          { field: 'text', message: `${length} characters, at most ${limit}${conversation.channel === 'x' ? ' (X counts each link as 23 and wide characters twice)' : ''}` },
        ]);
      }
      if (deps.canSend && !deps.canSend(conversation.channel, conversation.account)) {
        const hint = conversation.channel === 'webhook' ? ': give the source a reply URL in WEBHOOK_REPLY_URLS' : '';
        throw new AppError('channel_cannot_send', `nothing can send to ${conversation.channel} account "${conversation.account}"${hint}; a note is still possible`);
      }
    }
    // the web inbox says so (X-Switchboard-Client: inbox); the thread line names where it was written
    const origin = req.get('x-switchboard-client') === 'inbox' ? 'inbox' : 'api';
    if (!note && deps.replyPolicyOf?.(conversation.department) === 'approval') {
      const held = await createDraft({ conversation, policy: 'approval', text, key, actor: actorOfRequest(req), origin });
      if (!held.created) res.set('Idempotent-Replayed', 'true');
      res.status(202).json({ data: null, draft: presentDraft(held.draft) });
      return;
    }
    const stored = await writeToConversation({ conversation, text, key, actor: actorOfRequest(req), note, origin }, deps.actions);
    const message = await MessageModel.findById(stored.id).lean();
    if (!message) throw new NotFoundError(`message ${String(stored.id)} is gone`);
    // the same key with other content is a client's mistake, not a retry
    if (!stored.created && (message.text !== text || message.direction !== (note ? 'note' : 'outbound'))) {
      throw new AppError('conflict', 'this Idempotency-Key was used for a different message on this conversation', [{ field: 'Idempotency-Key', message: 'already used' }]);
    }
    if (!stored.created) res.set('Idempotent-Replayed', 'true');
    res.status(note ? 201 : 202).json({ data: presentMessage(message) });
  };

  router.post('/conversations/:id/replies', requireRole('agent'), json, write(false));
  router.post('/conversations/:id/notes', requireRole('agent'), json, write(true));

  router.post('/conversations/:id/assign', requireRole('agent'), json, async (req, res) => {
    const id = conversationId(req.params.id as string);
    const body = assignBody.safeParse(req.body);
    if (!body.success) throw validationError(body.error, 'body');
    const actor = actorOfRequest(req);
    const assignee = body.data.assignee === 'me' ? { name: actor.name } : body.data.assignee;
    if (!(await assignConversation(id, assignee, actor, deps.actions))) throw noConversation(id);
    const conversation = await ConversationModel.findById(id).lean();
    if (!conversation) throw noConversation(id);
    res.json({ data: presentConversation(conversation) });
  });

  return router;
}
