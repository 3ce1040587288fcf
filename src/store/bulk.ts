import { isDuplicateKeyError } from './connection';

export interface InsertNewResult {
  /** per document: true when this call inserted it, false when a unique index already held its key */
  inserted: boolean[];
  /** a failure other than a duplicate key; `inserted` still says what went in before or beside it */
  failure?: Error;
}

/** a mongoose model, as far as this needs one */
interface BulkInserter {
  insertMany(docs: object[], options: { ordered: false; lean: true }): Promise<unknown>;
}

interface WriteErrorLike {
  index: number;
  code?: number;
}

/**
 * One unordered insertMany where a duplicate key is a skip, not an error: every document is tried, and the answer
 * says which went in. Any other failure is returned with it, so a caller can undo exactly what this call stored.
 * The documents go in as given (`lean`: mongoose's casting and hydration cost more than the write): build them
 * complete, with defaults, timestamps and `__v` (test/integration/batch-ingest.test.ts compares them with create()).
 */
export async function insertNew(model: BulkInserter, docs: object[]): Promise<InsertNewResult> {
  if (docs.length === 0) return { inserted: [] };
  try {
    await model.insertMany(docs.map(compact), { ordered: false, lean: true });
    return { inserted: docs.map(() => true) };
  } catch (caught) {
    const err = caught instanceof Error ? caught : new Error(String(caught));
    const writeErrors = (err as { writeErrors?: WriteErrorLike[] } | null)?.writeErrors;
    // without per-document errors nothing tells what went in: the caller undoes by key (deleting only what it may own)
    if (!Array.isArray(writeErrors)) return { inserted: docs.map(() => false), failure: err };
    const inserted = docs.map(() => true);
    let failure: Error | undefined;
    for (const e of writeErrors) {
      inserted[e.index] = false;
      if (!isDuplicateKeyError(e) && failure === undefined) failure = err;
    }
    return failure === undefined ? { inserted } : { inserted, failure };
  }
}

/** A plain object without its undefined fields, at any depth: the driver would store them as null, mongoose leaves them out. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    out[key] = isPlainObject(field) ? compact(field) : field;
  }
  return out as T;
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
