import { Router } from 'express';
import { openApiDocument } from '../openapi/document';

/** `GET /api/openapi.json`: public, like any API description; the data stays behind the tokens. */
export function openApiRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  return router;
}
