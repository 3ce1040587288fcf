import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Anything that could carry a credential never reaches the log. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-twitter-webhooks-signature"]',
  'req.headers["x-api-key"]',
  'req.headers["x-switchboard-signature"]',
  '*.token',
  '*.accessToken',
  '*.accessSecret',
  '*.appKey',
  '*.appSecret',
  '*.bearerToken',
  '*.signingSecret',
  '*.botToken',
  '*.password',
  'mongodbUri',
];

/** Query parameters whose value is a credential, by name (`?token=`, `access_token`, `api_key`, `sig`, ...). */
const SECRET_PARAM = /token|secret|key|pass(word)?|auth|sig(nature)?|credential|session/i;
/** Our API tokens and Slack's, wherever they stand in a URL (a path segment, a fragment, an oddly named parameter). */
const TOKEN_SHAPED = /\b(sb_[A-Za-z0-9_-]{16,}|xox[abeoprs]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,})/g;
const CENSOR = '[redacted]';

/** A request URL as it may be logged: credentials in its query string or path replaced by [redacted]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1).replace(/(^|&)([^=&]*)=([^&]*)/g, (whole, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: judge the name as written
    }
    return SECRET_PARAM.test(decoded) ? `${sep}${name}=${CENSOR}` : whole;
  });
  return `${path}${q < 0 ? '' : `?${query}`}`.replace(TOKEN_SHAPED, CENSOR);
}

function redactQuery(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [name, SECRET_PARAM.test(name) ? CENSOR : typeof value === 'string' ? value.replace(TOKEN_SHAPED, CENSOR) : value]),
  );
}

/** pino-http's request serializer runs first; this one takes credentials out of what it kept of the URL. */
export function redactRequest<T extends { url?: unknown; query?: unknown; params?: unknown }>(req: T): T {
  if (typeof req.url === 'string') req.url = redactUrl(req.url);
  // copies: the serialized request holds express's own query and params objects
  if (req.query !== undefined) req.query = redactQuery(req.query);
  if (req.params !== undefined) req.params = redactQuery(req.params);
  return req;
}

/** Human-readable lines for a person at a terminal (pino-pretty, written synchronously so nothing is lost on exit). */
export function prettyDestination(destination?: NodeJS.WritableStream): pino.DestinationStream {
  return pretty({ colorize: destination === undefined && pretty.isColorSupported, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true, ...(destination ? { destination } : {}) });
}

/** Pretty lines when stdout is a terminal, JSON lines (for a log collector) otherwise. */
export function createLogger(level: string, destination: pino.DestinationStream | undefined = process.stdout.isTTY ? prettyDestination() : undefined): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

/**
 * pino-http's request and response as logged: credentials out of the URL, and the headers only at debug
 * (at info a request line is method, URL, status and time).
 */
export function httpSerializers(logger: Logger) {
  const headersToo = () => logger.isLevelEnabled('debug');
  return {
    req: <T extends { url?: unknown; query?: unknown; params?: unknown; headers?: unknown }>(req: T): T => {
      const kept = redactRequest(req);
      if (!headersToo()) delete kept.headers;
      return kept;
    },
    res: <T extends { headers?: unknown }>(res: T): T => {
      if (!headersToo()) delete res.headers;
      return res;
    },
  };
}

export type { Logger };
