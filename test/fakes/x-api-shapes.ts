/**
 * Answers X may give that the fake's own pages never do by themselves. Each is allowed by the OpenAPI
 * description (../shared/specs/x-api-v2-openapi.json): in every list response `data`, `errors`,
 * `includes` and `meta` are optional, and so is each field of `meta`; `errors` items are Problem objects.
 */
export type PageShape =
  /** `meta` left out altogether */
  | 'no-meta'
  /** `meta` without newest_id / oldest_id (as on an empty timeline) */
  | 'no-newest-id'
  /** `meta` without next_token, although more pages exist */
  | 'no-next-token'
  /** `includes` left out although expansions were asked for */
  | 'no-includes'
  /** `data` left out (an empty page) */
  | 'no-data'
  /** the page as it is, plus a Problem in `errors` (a partial error with 200) */
  | 'partial-errors'
  /** only `errors`: no data, no meta (X's 200 for a user it cannot find) */
  | 'errors-only';

type Body = Record<string, unknown> & { meta?: Record<string, unknown> };

const notFound = (id: string): Record<string, unknown> => ({
  value: id,
  detail: `Could not find user with id: [${id}].`,
  title: 'Not Found Error',
  resource_type: 'user',
  parameter: 'id',
  resource_id: id,
  type: 'https://api.x.com/2/problems/resource-not-found',
});

/** The 200 body `body` reshaped as `shape`; `subject` is the id the problem names. */
export function reshape(body: Body, shape: PageShape, subject: string): Body {
  const out: Body = { ...body, ...(body.meta ? { meta: { ...body.meta } } : {}) };
  if (shape === 'no-meta') delete out.meta;
  if (shape === 'no-newest-id' && out.meta) {
    delete out.meta.newest_id;
    delete out.meta.oldest_id;
  }
  if (shape === 'no-next-token' && out.meta) delete out.meta.next_token;
  if (shape === 'no-includes') delete out.includes;
  if (shape === 'no-data') {
    delete out.data;
    delete out.includes;
    out.meta = { result_count: 0 };
  }
  if (shape === 'partial-errors') out.errors = [notFound(subject)];
  if (shape === 'errors-only') return { errors: [notFound(subject)] };
  return out;
}
