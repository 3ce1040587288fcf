import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * An agent's thread message whose thread was not yet known to be a card of ours (its SlackThread not stored yet).
 * `_id` is `slack:<channel>:<ts>`, so Slack redelivering the event stores nothing new.
 */
const pendingSlackReplySchema = new Schema(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    threadTs: { type: String, required: true },
    ts: { type: String, required: true },
    user: { type: String, required: true },
    text: { type: String, required: true },
    receivedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export type PendingSlackReplyDoc = InferSchemaType<typeof pendingSlackReplySchema>;
export const PendingSlackReplyModel = model('PendingSlackReply', pendingSlackReplySchema);
export const pendingReplyKey = (channel: string, ts: string) => `slack:${channel}:${ts}`;
