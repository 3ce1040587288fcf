import pino, { type Logger } from 'pino';

/** Anything that could carry a credential never reaches the log. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-twitter-webhooks-signature"]',
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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}

export type { Logger };
