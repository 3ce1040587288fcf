import express, { Router } from 'express';
import { mapPushEvent, pushEnvelope } from '../../../connectors/x/push-event';
import { crcResponse, signatureMatches } from '../../../connectors/x/push-signature';
import { AppError } from '../../domain/errors';
import { ingestBatch, type PipelineDeps } from '../../ingest/pipeline';
import { validationError } from '../errors';

export interface XWebhookOptions {
  /** where X calls us, e.g. /webhooks/x */
  path: string;
  /** the X app's consumer secret (API key secret): X signs the CRC answer and every POST with it */
  consumerSecret: string;
  /** our accounts by their X user id: an event names the user its subscription filters on */
  accounts: { accountId: string; userId: string }[];
  maxBytes: number;
  pipeline: PipelineDeps;
}

const SIGNATURE = 'x-twitter-webhooks-signature';

/** The X Activity API webhook: the CRC challenge (GET) and signed event deliveries (POST), fed to the same pipeline as polling. */
export function xWebhookRoutes(options: XWebhookOptions): Router {
  const router = Router();
  const byUserId = new Map(options.accounts.map((a) => [a.userId, a]));

  router.get(options.path, (req, res) => {
    const token = req.query.crc_token;
    if (typeof token !== 'string' || token.length === 0) {
      throw new AppError('validation_failed', 'crc_token: the query parameter X sends with its challenge is missing', [{ field: 'crc_token', message: 'required' }]);
    }
    res.json(crcResponse(options.consumerSecret, token));
  });

  router.post(options.path, express.raw({ type: () => true, limit: options.maxBytes }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // checked before anything is parsed: an unsigned body gets no further
    if (!signatureMatches(options.consumerSecret, raw, req.get(SIGNATURE))) {
      throw new AppError('unauthorized', `${SIGNATURE} is missing or does not sign this body with the app's consumer secret`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new AppError('invalid_json', `request body is not valid JSON: ${(err as Error).message}`);
    }
    const envelope = pushEnvelope.safeParse(json);
    if (!envelope.success) throw validationError(envelope.error, 'X Activity API event');
    const { event_type: type, filter, event_uuid: uuid } = envelope.data.data;
    const account = byUserId.get(filter.user_id);
    if (!account) {
      req.log.warn({ type, userId: filter.user_id, uuid }, 'X push: event for an X user id no configured account has; ignored');
      res.status(202).json({ ignored: true, reason: `no configured X account has user id ${filter.user_id}` });
      return;
    }
    const mapped = mapPushEvent(envelope.data, account);
    if (mapped.outcome === 'invalid') {
      throw new AppError('validation_failed', `invalid ${type} payload: ${mapped.details.map((d) => `${d.field}: ${d.message}`).join('; ')}`, mapped.details);
    }
    if (mapped.outcome === 'skipped') {
      req.log.debug({ type, account: account.accountId, uuid, reason: mapped.reason }, 'X push: event not taken in');
      res.status(202).json({ ignored: true, reason: mapped.reason });
      return;
    }
    const [result] = await ingestBatch([mapped.message], options.pipeline);
    res.status(200).json({ stored: result?.outcome === 'stored' ? 1 : 0, duplicates: result?.outcome === 'duplicate' ? 1 : 0, results: result ? [result] : [] });
  });
  return router;
}
