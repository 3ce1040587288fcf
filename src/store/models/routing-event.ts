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

// the dashboard's manual-corrections count each minute (routing-stats.ts): only manual events are indexed, so ingest pays nothing
routingEventSchema.index({ createdAt: 1 }, { partialFilterExpression: { method: 'manual' } });

export type RoutingEventDoc = InferSchemaType<typeof routingEventSchema>;
export const RoutingEventModel = model('RoutingEvent', routingEventSchema);
