import { z } from 'zod';
import { webhookMessageSchema } from '../../../connectors/webhook/schema';
import type { TokenRole } from '../../store/models/api-token';
import { limitParam } from '../query';
import { digestQuery } from '../routes/feedback';
import { statsQuery } from '../routes/reports';
import { windowQuery } from '../routes/sla';
import { assignBody, listQuery, patchBody, textBody } from '../schemas/conversations';
import { blockBody, blockedSender } from '../schemas/blocked-senders';
import { anyData, conversation, conversationDetail, data, message } from '../schemas/responses';
import { approveBody, draft, rejectBody } from '../schemas/drafts';
import { person, personBody, personPatch } from '../../people/schema';
import { auditPage, auditQuery, eraseBody } from '../schemas/audit';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** express's form: `/api/conversations/:id` */
  path: string;
  summary: string;
  /** the token role it needs; null: no token */
  role: TokenRole | null;
  query?: z.ZodType;
  body?: z.ZodType;
  /** the Idempotency-Key header of a POST that must not act twice */
  idempotent?: boolean;
  ok: { status: number; description: string; schema?: z.ZodType; contentType?: string };
  /** answers beside the role's 400/401/403/503 */
  errors?: Record<number, string>;
}

const limit = (max: number, fallback: number) => z.object({ limit: limitParam(max, fallback) }).strict();
const ingestBody = z.union([webhookMessageSchema, z.array(webhookMessageSchema).min(1)]);
const ingestResult = z.object({
  stored: z.number().int(),
  duplicates: z.number().int(),
  results: z.array(z.object({ externalId: z.string(), outcome: z.enum(['stored', 'duplicate']), conversationId: z.string(), department: z.string().optional() })),
});
const noConversation = { 404: 'no conversation with this id' };

/** Every route of the REST API; test/integration/openapi.test.ts checks this list against the express app. */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/healthz', summary: 'The process is up', role: null, ok: { status: 200, description: '{status: "ok"}' } },
  { method: 'get', path: '/readyz', summary: 'The database answers a ping within 1.5 s', role: null, ok: { status: 200, description: 'ready' }, errors: { 503: 'database unreachable' } },
  { method: 'get', path: '/api/openapi.json', summary: 'This description (OpenAPI 3.1)', role: null, ok: { status: 200, description: 'the OpenAPI document' } },
  {
    method: 'post', path: '/api/ingest', summary: 'The generic webhook: one message or a batch, stored whole or not at all', role: 'ingest', body: ingestBody,
    ok: { status: 200, description: 'what was stored', schema: ingestResult }, errors: { 413: 'body over INGEST_MAX_BYTES', 415: 'unsupported Content-Encoding' },
  },
  { method: 'get', path: '/api/conversations', summary: 'Latest activity first, keyset-paged', role: 'agent', query: listQuery, ok: { status: 200, description: 'a page', schema: z.object({ data: z.array(conversation), nextCursor: z.string().nullable() }) } },
  { method: 'get', path: '/api/conversations/at-risk', summary: 'Open conversations by their nearest SLA target: atRisk (running, not breached) and breached, each soonest due first with its total', role: 'agent', query: limit(200, 50), ok: { status: 200, description: 'the two lists', schema: anyData } },
  { method: 'get', path: '/api/conversations/:id', summary: 'One conversation with its messages (replies with their delivery state), routing decision and activity', role: 'agent', ok: { status: 200, description: 'the conversation', schema: data(conversationDetail) }, errors: noConversation },
  {
    method: 'patch', path: '/api/conversations/:id', summary: 'Reassign (routing event + training example), change status, tag as product feedback, mark as needing a reply or none', role: 'agent', body: patchBody,
    ok: { status: 200, description: 'the conversation after the change', schema: data(conversation) }, errors: noConversation,
  },
  {
    method: 'post', path: '/api/conversations/:id/replies', summary: "Reply to the customer through the conversation's channel, exactly once per Idempotency-Key", role: 'agent', body: textBody, idempotent: true,
    ok: { status: 202, description: 'stored and queued for delivery (delivery.state queued); a repeated key answers the same reply with Idempotent-Replayed: true. In a department with replyPolicy approval: {data: null, draft} held for an approver', schema: z.union([data(message), z.object({ data: z.null(), draft })]) },
    errors: { ...noConversation, 409: 'the Idempotency-Key was used for a different text', 422: 'channel_cannot_send: nothing can send on this channel account' },
  },
  {
    method: 'post', path: '/api/conversations/:id/notes', summary: 'An internal note: shown to agents, never sent', role: 'agent', body: textBody, idempotent: true,
    ok: { status: 201, description: 'the note', schema: data(message) }, errors: { ...noConversation, 409: 'the Idempotency-Key was used for a different text' },
  },
  { method: 'post', path: '/api/conversations/:id/assign', summary: 'Assign to the token itself ("me"), to a named agent, or unassign (null)', role: 'agent', body: assignBody, ok: { status: 200, description: 'the conversation', schema: data(conversation) }, errors: noConversation },
  { method: 'get', path: '/api/departments', summary: 'Keys, names, Slack channels, SLA targets', role: 'agent', ok: { status: 200, description: 'the departments', schema: anyData } },
  { method: 'get', path: '/api/channels', summary: 'Connected accounts, their timelines and this month\'s X spend', role: 'manager', ok: { status: 200, description: 'the accounts', schema: anyData } },
  { method: 'get', path: '/api/classifier/models', summary: 'Model versions, newest first, with their figures', role: 'manager', ok: { status: 200, description: 'the versions', schema: anyData } },
  { method: 'get', path: '/api/reports/sla', summary: 'SLA figures for a window, grouped by department, channel or agent', role: 'manager', query: windowQuery, ok: { status: 200, description: 'the figures', schema: anyData } },
  { method: 'get', path: '/api/reports/sla.csv', summary: 'The same figures as CSV', role: 'manager', query: windowQuery, ok: { status: 200, description: 'a CSV download', contentType: 'text/csv' } },
  { method: 'get', path: '/api/reports/sla/daily', summary: 'Per day: volume, breaches, first-response p50', role: 'manager', query: windowQuery, ok: { status: 200, description: 'the days', schema: anyData } },
  { method: 'get', path: '/api/routing/events', summary: 'The newest routing decisions and corrections', role: 'manager', query: limit(200, 50), ok: { status: 200, description: 'the events', schema: anyData } },
  { method: 'get', path: '/api/stats/routing', summary: 'Conversations per department, triage share, manual corrections', role: 'manager', query: statsQuery, ok: { status: 200, description: 'the counts', schema: anyData } },
  { method: 'get', path: '/api/tokens', summary: 'Every API token (id, prefix, role, name, created, last used, expiry, revocation; never the hash)', role: 'admin', ok: { status: 200, description: 'the tokens', schema: anyData } },
  {
    method: 'post', path: '/api/tokens/:id/revoke', summary: 'Revoke the token with this id or prefix', role: 'admin',
    ok: { status: 200, description: 'the revoked token', schema: anyData }, errors: { 404: 'no token with this id or prefix', 400: 'the prefix matches more than one token' },
  },
  { method: 'get', path: '/api/blocked-senders', summary: 'Senders whose messages are stored but never routed, carded or timed, newest first', role: 'manager', ok: { status: 200, description: 'the list', schema: data(z.array(blockedSender)) } },
  {
    method: 'post', path: '/api/blocked-senders', summary: "Block a sender (channel + author id or handle); their open conversations are marked, lose their SLA clocks and their cards are redrawn", role: 'manager', body: blockBody,
    ok: { status: 201, description: 'the blocked sender (200 when it was on the list already) and how many conversations were marked', schema: z.object({ data: blockedSender, conversations: z.number().int() }) },
  },
  {
    method: 'delete', path: '/api/blocked-senders/:id', summary: 'Unblock a sender by id, handle or channel:handle; their later messages are routed again', role: 'manager',
    ok: { status: 200, description: 'the sender removed', schema: data(blockedSender) }, errors: { 404: 'no blocked sender with this id or handle', 400: 'the handle matches more than one sender' },
  },
  { method: 'get', path: '/api/audit', summary: 'The audit trail, newest first, keyset-paged (next): who, surface, action, target, before and after', role: 'admin', query: auditQuery, ok: { status: 200, description: 'a page (format=csv: the CSV export)', schema: auditPage } },
  { method: 'get', path: '/api/audit.csv', summary: 'The same filter as CSV, streamed: at, actor, surface, action, target, before, after, details', role: 'admin', query: auditQuery, ok: { status: 200, description: 'a CSV download', contentType: 'text/csv' } },
  { method: 'get', path: '/api/conversations/:id/history', summary: "A conversation's audit records, oldest first (the newest 200)", role: 'agent', ok: { status: 200, description: 'the records', schema: anyData }, errors: noConversation },
  {
    method: 'post', path: '/api/customers/erase', summary: "Erase a customer: their messages' text replaced, profile and raw payloads removed everywhere, Slack cards redrawn; the audit trail keeps the counts", role: 'admin', body: eraseBody,
    ok: { status: 200, description: 'what was erased, per collection (all 0 when nothing was left)', schema: anyData },
  },
  { method: 'post', path: '/api/retention/dry-run', summary: 'What the retention job would delete now: resolved conversations past their retention, per department with ids', role: 'admin', ok: { status: 200, description: 'the plan', schema: anyData } },
  { method: 'get', path: '/api/feedback/digest', summary: 'Product feedback themes for a window', role: 'agent', query: digestQuery, ok: { status: 200, description: 'the digest', schema: anyData } },
  { method: 'get', path: '/api/conversations/:id/drafts', summary: 'Replies held back by the reply policy (confirm, approval), oldest first, with their state and decision', role: 'agent', ok: { status: 200, description: 'the drafts', schema: data(z.array(draft)) }, errors: noConversation },
  {
    method: 'post', path: '/api/conversations/:id/drafts/:draftId/approve', summary: 'Approve a reply awaiting approval (with text: edit and approve); it is queued for delivery once. Not by its author', role: 'manager', body: approveBody,
    ok: { status: 200, description: 'the draft, state sent, with the queued reply', schema: data(draft) }, errors: { 403: 'the token wrote this reply', 404: 'no such draft on this conversation', 409: 'decided already' },
  },
  {
    method: 'post', path: '/api/conversations/:id/drafts/:draftId/reject', summary: 'Reject a reply awaiting approval, with the reason its author is told; nothing is sent. Not by its author', role: 'manager', body: rejectBody,
    ok: { status: 200, description: 'the draft, state rejected', schema: data(draft) }, errors: { 403: 'the token wrote this reply', 404: 'no such draft on this conversation', 409: 'decided already' },
  },
  { method: 'get', path: '/api/people', summary: 'The Slack users Switchboard knows, with their departments and roles (agent, approver, manager, admin)', role: 'admin', ok: { status: 200, description: 'the people', schema: data(z.array(person)) } },
  { method: 'get', path: '/api/people/:id', summary: 'One person by id or Slack user id', role: 'admin', ok: { status: 200, description: 'the person', schema: data(person) }, errors: { 404: 'no such person' } },
  {
    method: 'post', path: '/api/people', summary: 'Add a Slack user; once anyone is on the list, Slack users not on it are refused', role: 'admin', body: personBody,
    ok: { status: 201, description: 'the person', schema: data(person) }, errors: { 409: 'the Slack user is on the list already' },
  },
  { method: 'patch', path: '/api/people/:id', summary: "Change a person's name, departments or roles (by id or Slack user id)", role: 'admin', body: personPatch, ok: { status: 200, description: 'the person', schema: data(person) }, errors: { 404: 'no such person' } },
  { method: 'delete', path: '/api/people/:id', summary: 'Remove a person (by id or Slack user id)', role: 'admin', ok: { status: 200, description: 'the person removed', schema: data(person) }, errors: { 404: 'no such person' } },
];
