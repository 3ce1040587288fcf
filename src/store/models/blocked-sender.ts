import { Schema, model, type InferSchemaType } from 'mongoose';

/** A sender whose messages are stored but never routed, carded or timed; matched by channel and author id or handle. */
const blockedSenderSchema = new Schema(
  {
    channel: { type: String, required: true },
    authorId: String,
    /** without the leading @, lower case */
    handle: String,
    name: String,
    reason: String,
    /** who blocked it: `slack:U123`, `token:anna`, `cli` */
    by: { type: String, required: true },
    /** `channel:id:ID` and `channel:handle:HANDLE` (store/repositories/blocked-senders.ts senderKeys): one $in per batch */
    keys: { type: [String], required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

blockedSenderSchema.index({ keys: 1 });

export type BlockedSenderDoc = InferSchemaType<typeof blockedSenderSchema>;
export const BlockedSenderModel = model('BlockedSender', blockedSenderSchema);
