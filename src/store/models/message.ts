import { Schema, model, type InferSchemaType } from 'mongoose';

export const authorSchema = new Schema(
  { id: String, handle: String, name: String, profileUrl: String },
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
    // vendor payloads may carry keys FerretDB refuses (dots), so they are kept as text
    rawJson: String,
  },
  { timestamps: true },
);

// The dedupe: one message per (channel, account, externalId).
messageSchema.index({ channel: 1, account: 1, externalId: 1 }, { unique: true });

export type MessageDoc = InferSchemaType<typeof messageSchema>;
export const MessageModel = model('Message', messageSchema);
