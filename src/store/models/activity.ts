import { Schema, model, type InferSchemaType } from 'mongoose';

/** Every action on a conversation, with who did it (routing changes also have a RoutingEvent). */
const activitySchema = new Schema(
  {
    conversationId: { type: Schema.Types.ObjectId, required: true, index: true },
    type: { type: String, enum: ['assigned', 'unassigned', 'reassigned', 'resolved', 'waiting', 'reopened', 'feedback', 'replied', 'note', 'reply-needed', 'no-reply', 'blocked', 'draft', 'draft-sent', 'draft-approved', 'draft-rejected', 'draft-discarded', 'refused'], required: true },
    actor: { type: String, required: true },
    details: { type: Schema.Types.Mixed },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type ActivityDoc = InferSchemaType<typeof activitySchema>;
export const ActivityModel = model('Activity', activitySchema);
