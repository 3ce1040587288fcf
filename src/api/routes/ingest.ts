import express, { Router } from 'express';
import type { RawLimits } from '../../../connectors/webhook/raw';
import { toInbound, webhookBodySchema } from '../../../connectors/webhook/schema';
import { ingestBatch, type PipelineDeps } from '../../ingest/pipeline';
import { requireRole } from '../auth';
import { validationError } from '../errors';

export interface IngestRouteOptions {
  maxBytes: number;
  maxBatch: number;
  /** depth and size of a message's `raw`; the webhook schema's defaults when absent */
  raw?: RawLimits;
  pipeline: PipelineDeps;
}

/** `POST /api/ingest`: the generic webhook. The whole body is validated before anything is stored, and stored whole or not at all. */
export function ingestRoutes(options: IngestRouteOptions): Router {
  const router = Router();
  router.post('/ingest', requireRole('ingest'), express.json({ limit: options.maxBytes, strict: false }), async (req, res) => {
    const parsed = webhookBodySchema(req.body, { maxBatch: options.maxBatch, raw: options.raw }).safeParse(req.body);
    if (!parsed.success) throw validationError(parsed.error, 'ingest body');
    const results = await ingestBatch(parsed.data.map(toInbound), options.pipeline);
    res.status(200).json({
      stored: results.filter((r) => r.outcome === 'stored').length,
      duplicates: results.filter((r) => r.outcome === 'duplicate').length,
      results,
    });
  });
  return router;
}
