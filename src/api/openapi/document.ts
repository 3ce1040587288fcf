import { z } from 'zod';
import { idempotencyKey } from '../schemas/conversations';
import { errorBody } from '../schemas/responses';
import { OPERATIONS, type Operation } from './operations';

type Json = Record<string, unknown>;

// request schemas as a client sends them (before defaults and transforms), answers as the server sends them
const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  return rest;
};

/** `/api/conversations/:id` → `/api/conversations/{id}` */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

function parameters(op: Operation): Json[] {
  const path = [...op.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{24}$' } }));
  const query = op.query ? schemaOf(op.query, 'input') : undefined;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  const fields = Object.entries((query?.properties as Record<string, Json> | undefined) ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest };
  });
  const header = op.idempotent
    ? [
        { name: 'Idempotency-Key', in: 'header', required: false, description: 'the same key on a retry finds the message the first request made (per token and conversation); without one every request is new', schema: schemaOf(idempotencyKey, 'input') },
        { name: 'X-Switchboard-Client', in: 'header', required: false, description: "`inbox` from the web inbox: the line in the card's Slack thread says where it was written (else: through the API)", schema: { type: 'string' } },
      ]
    : [];
  return [...path, ...fields, ...header];
}

function responses(op: Operation): Json {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const ok = { description: op.ok.description, content: { [op.ok.contentType ?? 'application/json']: op.ok.schema ? { schema: schemaOf(op.ok.schema, 'output') } : {} } };
  const auth = op.role ? { 400: error('a parameter or the body is not valid: details name each field'), 401: error('no valid token'), 403: error(`the token's role is not ${op.role}`), 503: error('store_unavailable: the database is unreachable (Retry-After)') } : {};
  const more = Object.fromEntries(Object.entries(op.errors ?? {}).map(([status, description]) => [status, error(description)]));
  return { [op.ok.status]: ok, ...auth, ...more };
}

function operation(op: Operation): Json {
  return {
    summary: op.summary,
    ...(op.role ? { security: [{ bearerToken: [] }], 'x-role': op.role, description: `Needs a token with role ${op.role} (or a role that includes it).` } : { security: [] }),
    parameters: parameters(op),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body, 'input') } } } } : {}),
    responses: responses(op),
  };
}

let built: Json | undefined;

/** The OpenAPI 3.1 description of the REST API, from the zod schemas the routes validate with. */
export function openApiDocument(): Json {
  if (built) return built;
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) paths[openApiPath(op.path)] = { ...paths[openApiPath(op.path)], [op.method]: operation(op) };
  built = {
    openapi: '3.1.0',
    info: { title: 'Switchboard REST API', version: '0.1.0', description: 'Every endpoint but health and this document needs Authorization: Bearer <token> (npm run cli -- token create --role agent).' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: { securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer' } }, schemas: { Error: schemaOf(errorBody, 'output') } },
  };
  return built;
}
