import { Schema, model } from 'mongoose';

/** Slack thread (channel:ts) → conversation: the event handler's lookup is then by `_id`, which FerretDB indexes. */
const slackThreadSchema = new Schema(
  {
    _id: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true },
  },
  { versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);

// retention and erasure remove a conversation's threads
slackThreadSchema.index({ conversationId: 1 });

export const SlackThreadModel = model('SlackThread', slackThreadSchema);

export const slackThreadKey = (channel: string, ts: string) => `${channel}:${ts}`;
