import assert from 'node:assert/strict';
import { Router, type Express } from 'express';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { DEFAULT_DEPARTMENTS } from '../../src/domain/department';
import { createLogger } from '../../src/runtime/logger';
import { testRouter } from '../support/app';

type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] }; rawPath?: unknown };

/** Every `METHOD path` the express app routes, with mounted routers' prefixes, in OpenAPI's `{param}` form. */
function routedOperations(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) found.push(`${method} ${prefix}${layer.route.path}`.replace(/:(\w+)/g, '{$1}'));
      } else if (layer.handle?.stack) {
        const path = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + path);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return found.sort();
}

/** The app with every optional part mounted: the SLA routes and a stand-in for Bolt's /slack router. */
function fullApp(): Express {
  const slackRouter = Router();
  slackRouter.post('/events', (_req, res) => void res.end());
  return createApp({
    logger: createLogger('silent'),
    pipeline: { router: testRouter() },
    ingest: { maxBytes: 65536, maxBatch: 50 },
    slackRouter,
    sla: { policyOf: (key) => DEFAULT_DEPARTMENTS.find((d) => d.key === key)?.sla },
  });
}

describe('GET /api/openapi.json', () => {
  let app: Express;
  let doc: { openapi: string; paths: Record<string, Record<string, { parameters: { name: string; in: string }[]; responses: Record<string, unknown>; security: unknown[]; requestBody?: unknown }>> };
  before(async () => {
    app = fullApp();
    doc = (await request(app).get('/api/openapi.json').expect(200).expect('content-type', /json/)).body;
  });

  it('documents every route of the REST API, and routes every documented path', () => {
    // Slack's signed events, the dashboard's page and files and `GET /` (a redirect to it) are not the REST API
    const routed = routedOperations(app).filter((op) => op !== 'get /' && !/^\w+ \/(slack|dashboard)(\/|$)/.test(op));
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`)).sort();
    assert.ok(routed.length >= 20, `found the routes: ${routed.join(', ')}`);
    assert.deepEqual(documented, routed);
  });

  it('is OpenAPI 3.1 with a 2xx answer, its path parameters and the token scheme on every operation', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        assert.ok(Object.keys(op.responses).some((s) => /^2\d\d$/.test(s)), `${where} has a 2xx answer`);
        const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        assert.deepEqual(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), params, `${where} declares its path parameters`);
        if (!['/healthz', '/readyz', '/api/openapi.json'].includes(path)) assert.deepEqual(op.security, [{ bearerToken: [] }], `${where} needs a token`);
      }
    }
  });

  it('describes requests from the schemas the routes validate with', () => {
    const replies = doc.paths['/api/conversations/{id}/replies']?.post;
    assert.deepEqual(replies?.requestBody, {
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { text: { type: 'string', minLength: 1, maxLength: 10000 } }, required: ['text'], additionalProperties: false } } },
    });
    assert.ok(replies?.parameters.some((p) => p.name === 'Idempotency-Key' && p.in === 'header'));
    const list = doc.paths['/api/conversations']?.get;
    assert.deepEqual(list?.parameters.map((p) => p.name), ['department', 'status', 'channel', 'since', 'q', 'needsReply', 'blocked', 'limit', 'cursor']);
    assert.ok(doc.paths['/api/conversations/{id}']?.patch?.requestBody, 'PATCH has its body');
  });
});
