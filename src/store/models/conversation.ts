import { Schema, model, type InferSchemaType } from 'mongoose';
import { authorSchema } from './message';

const routingSchema = new Schema(
  {
    method: { type: String, enum: ['model', 'triage', 'manual', 'rule'], required: true },
    label: String,
    confidence: Number,
    scores: { type: Map, of: Number },
    lang: String,
    terms: [String],
    rule: String,
  },
  { _id: false },
);

const slaSchema = new Schema(
  {
    department: { type: String, required: true },
    startedAt: { type: Date, required: true },
    firstResponseDueAt: Date,
    nextResponseDueAt: Date,
    nextResponseFrom: Date,
    resolutionDueAt: Date,
    firstResponseAt: Date,
    firstResponseMinutes: Number,
    resolvedAt: Date,
    resolutionMinutes: Number,
    waitingSince: Date,
    waitingMinutes: { type: Number, default: 0 },
    nextResponseBreaches: { type: Number, default: 0 },
    /** the targets whose clocks run, with warning, due and next alert times (src/sla/running.ts RunningTarget) */
    running: {
      type: [new Schema({ target: String, from: Date, dueAt: Date, warnAt: Date, alertAt: Date }, { _id: false })],
      default: undefined,
    },
    /** the SLA_WARN_AT the warning times were computed with: a changed setting recomputes them at start */
    warnShare: Number,
    /** what the figures sum on the server (src/sla/running.ts SlaFigureFields) */
    fig: {
      type: new Schema({ fixed: Number, answered: Number, firstDue: Date, resolutionDue: Date, nextDue: Date, metUntil: Date, settlesAt: Date }, { _id: false }),
      default: undefined,
    },
  },
  { _id: false },
);

const conversationSchema = new Schema(
  {
    channel: { type: String, required: true },
    account: { type: String, required: true },
    threadKey: { type: String, required: true },
    kind: { type: String, enum: ['mention', 'dm', 'post'], required: true },
    customer: { type: authorSchema, default: {} },
    preview: { type: String, default: '' },
    department: { type: String, required: true },
    routing: { type: routingSchema, required: true },
    /** the model was unsure and sent it to triage first */
    triaged: { type: Boolean, default: false },
    status: { type: String, enum: ['open', 'waiting', 'resolved'], default: 'open' },
    /** the SLA clocks (src/sla/engine.ts SlaState) */
    sla: { type: slaSchema, default: undefined },
    /** counts the clocks' writes: each is made over the revision it read (src/sla/clock.ts), so no process's event is lost */
    slaRev: Number,
    assignee: { type: new Schema({ slackUserId: String, name: String }, { _id: false }), default: undefined },
    /** the Slack thread the department works the conversation in */
    slack: { type: new Schema({ channel: String, ts: String }, { _id: false }), default: undefined },
    /** tagged for the product team's feedback digest */
    /** when we began posting the card: a later attempt first looks in Slack for it */
    slackPostStartedAt: Date,
    /** set at creation by versions before the clocks came with the insert, unset once its hooks ran: the sweep finishes those */
    routingPending: Boolean,
    /** the message that opened it (the card's message; every later inbound one is a follow-up) */
    firstMessageId: Schema.Types.ObjectId,
    productFeedback: { type: Boolean, default: false },
    /** false: no answer is owed (thanks, praise, chit-chat, spam): no SLA clock, no card unless NO_REPLY_CARDS=channel */
    needsReply: { type: Boolean, default: undefined },
    /** who decided needsReply and why: the detector's score and reason, or the agent who flipped it */
    reply: { type: new Schema({ score: Number, reason: String, by: String, at: Date }, { _id: false }), default: undefined },
    /** its customer is on the blocked-senders list: stored, never routed, carded or timed */
    blocked: { type: Boolean, default: undefined },
    firstResponseAt: Date,
    firstMessageAt: { type: Date, required: true },
    lastMessageAt: { type: Date, required: true },
    /** the latest customer message: what a reply answers (written with $max, so the order of concurrent joins does not matter) */
    lastInbound: { type: new Schema({ at: Date, externalId: String }, { _id: false }), default: undefined },
    /** before lastInbound: read when a conversation has no lastInbound yet */
    lastInboundExternalId: String,
    messageCount: { type: Number, default: 0 },
    resolvedAt: Date,
    reopenedAt: Date,
  },
  { timestamps: true },
);

// One conversation per thread rests on the unique _id derived from (channel, account, threadKey) (store/ids.ts):
// no index on those three, as nothing queries them and each index costs every insert and update.
// The reconciliation sweep's questions: conversations whose hooks or card are missing.
conversationSchema.index({ routingPending: 1, createdAt: 1 }, { partialFilterExpression: { routingPending: true } });
conversationSchema.index({ 'slack.ts': 1, createdAt: 1 });
// GET /api/conversations: each filter's equality fields, then the keyset sort (store/repositories/conversations.ts listQuery).
export const LIST_INDEX_PREFIXES = [[], ['department'], ['status'], ['department', 'status'], ['channel']] as const;
/** The list index for these equality fields, as a key pattern (for a hint). */
export const listIndexKey = (prefix: readonly string[]) => ({ ...Object.fromEntries(prefix.map((f) => [f, 1 as const])), lastMessageAt: -1 as const, _id: -1 as const });
for (const prefix of LIST_INDEX_PREFIXES) conversationSchema.index(listIndexKey(prefix));

// SLA figures and routing statistics (src/sla/figures.ts): conversations that started in a window, and the open ones.
conversationSchema.index({ firstMessageAt: 1 });
conversationSchema.index({ status: 1, firstMessageAt: 1 });
// SLA rollups (src/sla/rollup.ts): the days changed since the watermark, and the figures that still depend on now.
conversationSchema.index({ updatedAt: 1 });
conversationSchema.index({ 'sla.fig.settlesAt': 1 });
// At-risk and breached lists, alerts job (src/sla/at-risk.ts, alerts.ts): running targets by due, warning and alert time.
conversationSchema.index({ 'sla.running.dueAt': 1 });
conversationSchema.index({ 'sla.running.warnAt': 1 });
conversationSchema.index({ 'sla.running.alertAt': 1 });

export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
/** A conversation as read back, from a document or lean() (which gives scores as a plain object). */
export type StoredConversation = Omit<ConversationDoc, 'routing'> & {
  _id: unknown;
  routing: Omit<ConversationDoc['routing'], 'scores'> & { scores?: Map<string, number> | Record<string, number> | null };
};
export const ConversationModel = model('Conversation', conversationSchema);

/** The external id of the customer message a reply answers: `lastInbound`, else the field records before it kept. */
export const lastInboundIdOf = (c: { lastInbound?: { externalId?: string | null } | null; lastInboundExternalId?: string | null }): string | undefined =>
  c.lastInbound?.externalId ?? c.lastInboundExternalId ?? undefined;
