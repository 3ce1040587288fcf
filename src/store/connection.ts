import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { ActivityModel } from './models/activity';
import { ApiTokenModel } from './models/api-token';
import { AuditRecordModel } from './models/audit-record';
import { ChannelAccountModel } from './models/channel-account';
import { ClassifierModelModel } from './models/classifier-model';
import { ConversationModel } from './models/conversation';
import { DepartmentModel } from './models/department';
import { DraftModel } from './models/draft';
import { LeaseModel } from './models/lease';
import { MessageModel } from './models/message';
import { PendingSlackReplyModel } from './models/pending-slack-reply';
import { PersonModel } from './models/person';
import { RoutingEventModel } from './models/routing-event';
import { SlaAlertModel } from './models/sla-alert';
import { SlaRollupModel, SlaRollupStateModel } from './models/sla-rollup';
import { SlackInteractionModel } from './models/slack-interaction';
import { SlackThreadModel } from './models/slack-thread';
import { TrainingExampleModel } from './models/training-example';
import { UsageDayModel, UsageModel } from './models/usage';
import { detectServerKind } from './server-kind';
import { BilledResourceModel, SpendWarningModel } from './models/billed-resource';

const MODELS = [
  ActivityModel,
  ApiTokenModel,
  AuditRecordModel,
  BilledResourceModel,
  ChannelAccountModel,
  ClassifierModelModel,
  ConversationModel,
  DepartmentModel,
  DraftModel,
  LeaseModel,
  MessageModel,
  PendingSlackReplyModel,
  PersonModel,
  RoutingEventModel,
  SlaAlertModel,
  SlaRollupModel,
  SlaRollupStateModel,
  SlackInteractionModel,
  SpendWarningModel,
  SlackThreadModel,
  TrainingExampleModel,
  UsageModel,
  UsageDayModel,
];

// mongoose's autoIndex would race our explicit createIndexes.
mongoose.set('autoIndex', false);
mongoose.set('strictQuery', true);

/** How long a query waits for an unreachable database before it fails (the API then answers 503). */
export const STORE_WAIT_MS = 5_000;

/** Connects mongoose and makes sure every index (the dedupe ones above all) exists. */
export async function connectStore(uri: string, dbName: string, waitMs = STORE_WAIT_MS): Promise<typeof mongoose> {
  // during an outage a request fails within waitMs (503 + Retry-After) instead of hanging on the buffer or server selection
  mongoose.set('bufferTimeoutMS', waitMs);
  await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: waitMs });
  await detectServerKind(mongoose.connection);
  for (const model of MODELS) {
    // an index whose options changed (the compound dedupe indexes lost `unique`) is replaced, not an error
    await model.createIndexes().catch((err: unknown) => (isIndexConflict(err) ? model.syncIndexes() : Promise.reject(err as Error)));
  }
  return mongoose;
}

/** IndexOptionsConflict (85) or IndexKeySpecsConflict (86): an index of that name exists with other options. */
function isIndexConflict(err: unknown): boolean {
  const code = (err as { code?: number } | null)?.code;
  return code === 85 || code === 86;
}

export async function disconnectStore(): Promise<void> {
  await mongoose.disconnect();
}

/** True when the database answers a ping within `timeoutMs` (a probe must not hang on server selection). */
export async function storeIsReachable(timeoutMs = 1_500): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== mongoose.ConnectionStates.connected) return false;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.command({ ping: 1 }).then(() => true), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// the driver's and mongoose's names for "no server to talk to"; by name, as mongoose may carry its own driver copy
const UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/** True for an error that means the database is unreachable, not that the request was wrong (a retry later may work). */
export function isStoreUnavailableError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (UNAVAILABLE.has(e.name)) return true;
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message)) return true;
  }
  return false;
}

// DocumentDB's findAndModify reports PostgreSQL's own errors as InternalError (1) with PostgreSQL's message
const POSTGRES_INTERNAL = 1;

/** Mongo's duplicate-key error: the unique indexes are our dedupe. */
export function isDuplicateKeyError(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: number; message?: string };
  return code === 11000 || (code === POSTGRES_INTERNAL && /violates exclusion constraint/.test(message ?? ''));
}

// WriteConflict, and PostgreSQL's deadlock_detected (40P01) and serialization_failure (40001) as DocumentDB numbers them
const TRANSIENT_CODES = new Set([112, 16908292, 16777220]);

/**
 * True when the server aborted a write for a conflict with a concurrent one, so the same write may just run again
 * (DocumentDB aborts one of two inserts of one key into a unique index other than `_id` as a deadlock).
 */
export function isTransientWriteError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const { code, hasErrorLabel } = err as { code?: number; hasErrorLabel?: (label: string) => boolean };
  if (code !== undefined && TRANSIENT_CODES.has(code)) return true;
  if (code === POSTGRES_INTERNAL && /^(deadlock detected|could not serialize access)/.test(err.message)) return true;
  return hasErrorLabel?.call(err, 'TransientTransactionError') === true;
}

/**
 * Runs a single-document write again, up to 8 times, while the server aborts it as transient. The waits are random
 * and doubling: writers that retry in step meet in the same conflict again (PostgreSQL takes a second to see one).
 */
export async function retryTransient<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt === 8 || !isTransientWriteError(err)) throw err;
      await sleep(Math.random() * Math.min(2_000, 25 * 2 ** attempt));
    }
  }
}

/** Runs an insert (or upsert); false when a unique index already holds that key. */
export async function insertOnce(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await retryTransient(create);
    return true;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false;
    throw err;
  }
}

/**
 * An upsert on a unique key other than `_id`: when a concurrent upsert inserted that key first (E11000), it runs once
 * more and updates the document, the retry MongoDB's documentation leaves to the client where its server does not.
 */
export function upsertOnKey<T>(upsert: () => Promise<T>): Promise<T> {
  return retryTransient(() => upsert().catch((err: unknown) => (isDuplicateKeyError(err) ? upsert() : Promise.reject(err as Error))));
}

/** A model whose documents are claims: a string `_id` and an `until` date. */
type ClaimModel = { collection: { updateOne(filter: object, update: object, options: { upsert: boolean }): Promise<unknown> } };

/**
 * Claims the document `_id` until `fields.until` in one atomic write: taken when absent or when its stored `until`
 * has passed; false while another claim is live (the upsert then hits the unique `_id`).
 */
export function claimUntil(model: ClaimModel, key: string, now: Date, fields: { until: Date } & Record<string, unknown>): Promise<boolean> {
  return insertOnce(() => model.collection.updateOne({ _id: key, until: { $lte: now } }, { $set: fields }, { upsert: true }));
}
