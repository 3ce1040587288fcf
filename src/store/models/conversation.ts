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
    department: { type: String, required: true, index: true },
    routing: { type: routingSchema, required: true },
    /** the model was unsure and sent it to triage first */
    triaged: { type: Boolean, default: false },
    status: { type: String, enum: ['open', 'resolved'], default: 'open', index: true },
    assignee: String,
    firstMessageAt: { type: Date, required: true },
    lastMessageAt: { type: Date, required: true },
    lastInboundExternalId: String,
    messageCount: { type: Number, default: 0 },
    resolvedAt: Date,
    reopenedAt: Date,
  },
  { timestamps: true },
);

// One conversation per thread of a channel account.
conversationSchema.index({ channel: 1, account: 1, threadKey: 1 }, { unique: true });

export type ConversationDoc = InferSchemaType<typeof conversationSchema>;
export const ConversationModel = model('Conversation', conversationSchema);
