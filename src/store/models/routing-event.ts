import { Schema, model, type InferSchemaType } from 'mongoose';

/** Every change of department, by whom and why. */
const routingEventSchema = new Schema(
  {
    conversationId: { type: Schema.Types.ObjectId, required: true, index: true },
    from: String,
    to: { type: String, required: true },
    method: { type: String, enum: ['model', 'triage', 'manual', 'rule'], required: true },
    actor: { type: String, required: true },
    reason: String,
    confidence: Number,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export type RoutingEventDoc = InferSchemaType<typeof routingEventSchema>;
export const RoutingEventModel = model('RoutingEvent', routingEventSchema);
