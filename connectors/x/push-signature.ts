/** The X webhook's two checks: the CRC answer and the signature of each POST, both HMAC-SHA256 with the app's consumer secret. */
import crypto from 'node:crypto';

const hmac = (secret: string, data: string | Buffer): string => crypto.createHmac('sha256', secret).update(data).digest('base64');

/** `GET ?crc_token=` → the body X expects back. */
export function crcResponse(consumerSecret: string, crcToken: string): { response_token: string } {
  return { response_token: `sha256=${hmac(consumerSecret, crcToken)}` };
}

/** The `x-twitter-webhooks-signature` value X sends with a body. */
export function signBody(consumerSecret: string, rawBody: string | Buffer): string {
  return `sha256=${hmac(consumerSecret, rawBody)}`;
}

/** Whether `header` signs `rawBody`; compared in constant time so a forger learns nothing from timing. */
export function signatureMatches(consumerSecret: string, rawBody: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(consumerSecret, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
