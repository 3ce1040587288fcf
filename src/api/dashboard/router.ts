import path from 'node:path';
import express, { Router, type Response } from 'express';
import { dashboardCatalogue, LOCALES, type Locale } from '../../i18n';

const PUBLIC_DIR = path.join(__dirname, 'public');

/**
 * The page may load only its own files and talk only to this origin's API: no inline script or
 * style, no plugins, no framing. Customer text is inserted as text, this is the second fence.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  // no build step means no hashed file names: revalidate every time (ETag keeps it cheap)
  res.setHeader('Cache-Control', 'no-cache');
}

/** `GET /dashboard` (the managers' page), `GET /dashboard/inbox` (the agents' inbox) and `/dashboard/assets/*` (its CSS and ES modules). Unauthenticated: the data is behind the API. */
export function dashboardRouter(options: { defaultLocale?: Locale } = {}): Router {
  const router = Router();
  // the page's texts in every language we have; the browser picks by navigator.languages, else the default
  const texts = JSON.stringify({ defaultLocale: options.defaultLocale ?? 'en', catalogues: Object.fromEntries(LOCALES.map((l) => [l, dashboardCatalogue(l)])) });
  router.get('/dashboard/i18n.json', (_req, res) => {
    securityHeaders(res);
    res.type('application/json').send(texts);
  });
  const page = (file: string): express.RequestHandler => (_req, res, next) => {
    securityHeaders(res);
    res.sendFile(path.join(PUBLIC_DIR, file), (err?: Error) => {
      if (err) next(err);
    });
  };
  router.get('/dashboard', page('index.html'));
  // the agents' web inbox: the same sign-in (an agent token is enough), the same API
  router.get('/dashboard/inbox', page('inbox.html'));
  router.use(
    '/dashboard/assets',
    express.static(path.join(PUBLIC_DIR, 'assets'), {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders: (res) => securityHeaders(res),
    }),
  );
  return router;
}
