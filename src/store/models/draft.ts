import { Schema, model, type InferSchemaType } from 'mongoose';

export const DRAFT_STATES = ['pending', 'sent', 'rejected', 'discarded'] as const;
export type DraftState = (typeof DRAFT_STATES)[number];

/**
 * A reply held back by its department's policy: `confirm` waits for its author's Send, `approval` for an approver.
 * Nothing is queued for delivery until the state leaves `pending` for `sent`; then `messageId` is the queued reply.
 */
const draftSchema = new Schema(
  {
    /** derived from the agent's message key (`slack:C:ts`, `api:…`), so a redelivered event finds it */
    _id: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    conversationId: { type: Schema.Types.ObjectId, required: true, index: true },
    department: { type: String, required: true },
    policy: { type: String, enum: ['confirm', 'approval'], required: true },
    state: { type: String, enum: DRAFT_STATES, required: true },
    text: { type: String, required: true },
    /** `id` as Activity records it (`slack:U1`, `token:anna`), `userId` the Slack user or `token:<id>` */
    author: { type: new Schema({ id: String, name: String, userId: String }, { _id: false }), required: true },
    /** the author's Slack message, and the thread line with the approval buttons */
    slack: { type: new Schema({ channel: String, ts: String, threadTs: String, userId: String, lineTs: String }, { _id: false }), default: undefined },
    origin: { type: String, enum: ['inbox', 'api'], default: undefined },
    decision: {
      type: new Schema({ by: String, name: String, at: Date, reason: String, edited: Boolean }, { _id: false }),
      default: undefined,
    },
    messageId: { type: Schema.Types.ObjectId, default: undefined },
  },
  { timestamps: true },
);

// the at-risk list and the inbox ask which conversations have a reply waiting
draftSchema.index({ state: 1, conversationId: 1 });

export type DraftDoc = InferSchemaType<typeof draftSchema>;
export const DraftModel = model('Draft', draftSchema);
