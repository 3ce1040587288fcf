import { Schema, model, type InferSchemaType } from 'mongoose';

export const authorSchema = new Schema(
  { id: String, handle: String, name: String, profileUrl: String },
  { _id: false },
);

/** The reply's delivery state machine: queued → sending → sent | failed. */
const deliverySchema = new Schema(
  {
    state: { type: String, enum: ['queued', 'sending', 'sent', 'failed'], required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: Date,
    lastError: String,
    /** it failed because every attempt did (lastError is the channel's last answer), not because the channel refused it */
    gaveUp: Boolean,
    sentExternalId: String,
    sentUrl: String,
    sentAt: Date,
    /** when the last attempt began: an answer lost after it may still have been posted */
    attemptStartedAt: Date,
    /** the last attempt failed in a way that may hide a post (5xx, lost connection) */
    uncertain: Boolean,
    /** why the channel would not take it, when the agent can choose another way ('reply_not_allowed') */
    refusal: String,
    /** how to send instead of the conversation's own way: 'dm', or 'post' (a new post mentioning the customer) */
    via: String,
    /** what the Slack thread has been told: the reaction is on, the line (ts) posted or begun */
    report: { type: new Schema({ reacted: Boolean, lineTs: String, lineStartedAt: Date }, { _id: false }), default: undefined },
  },
  { _id: false },
);

const messageSchema = new Schema(
  {
    channel: { type: String, required: true },
    account: { type: String, required: true },
    externalId: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true, index: true },
    direction: { type: String, enum: ['inbound', 'outbound', 'note'], required: true },
    kind: { type: String, enum: ['mention', 'dm', 'post'], required: true },
    author: { type: authorSchema, default: {} },
    text: { type: String, required: true },
    sentAt: { type: Date, required: true },
    url: String,
    inReplyToExternalId: String,
    /** inbound posts: whether it @mentions (or quotes) the connected account; X lets apps reply only then */
    mentionsAccount: { type: Boolean, default: undefined },
    /** e-mail: the Subject line, and the attached files (listed on the card, never forwarded) */
    subject: String,
    attachments: { type: [new Schema({ name: String, size: Number, contentType: String }, { _id: false })], default: undefined },
    /** outbound replies only */
    delivery: { type: deliverySchema, default: undefined },
    /** where the agent wrote it, or where we posted it in Slack (a first message: its card) */
    slack: { type: new Schema({ channel: String, ts: String, userId: String }, { _id: false }), default: undefined },
    /** inbound follow-ups, and agents' messages written outside Slack: when we began posting it in the Slack thread */
    slackPostStartedAt: Date,
    /** an agent's reply or note written outside Slack (the web inbox or the API): the thread gets a line saying so */
    origin: { type: String, enum: ['inbox', 'api'], default: undefined },
    /** inbound from a blocked sender: stored and searchable, never routed, carded or timed */
    blocked: { type: Boolean, default: undefined },
    // vendor payloads may carry keys FerretDB refuses (dots), so they are kept as text
    rawJson: String,
  },
  { timestamps: true },
);

// The dedupe is the unique _id derived from (channel, account, externalId) (store/ids.ts); this index is for lookups
// and is not unique: DocumentDB's compound unique indexes slow every insert as the collection grows.
messageSchema.index({ channel: 1, account: 1, externalId: 1 });
// The reconciliation sweep's questions: follow-ups not in Slack, replies not moving.
messageSchema.index({ direction: 1, 'slack.ts': 1, createdAt: 1 });
messageSchema.index({ 'delivery.state': 1, createdAt: 1 });

export type MessageDoc = InferSchemaType<typeof messageSchema>;
export const MessageModel = model('Message', messageSchema);
