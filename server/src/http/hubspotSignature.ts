import { createHmac, timingSafeEqual } from 'node:crypto';

import type { Instant } from '@abm-pilot/shared';

// HubSpot request validation, version 3: base64(HMAC-SHA256(appSecret, method + uri + body + timestamp)),
// over the raw body and the public URL HubSpot called, refused when older than five minutes.

export const SIGNATURE_MAX_AGE_MS = 5 * 60_000;

export interface SignedRequest {
  readonly method: string;
  /** The full public URL HubSpot called: configured public origin + the request's original path and query. */
  readonly url: string;
  readonly rawBody: string;
  readonly signature: string | undefined;
  readonly timestamp: string | undefined;
}

export type SignatureVerdict = 'valid' | 'missing' | 'expired' | 'mismatch';

// HubSpot's v3 documentation has these escapes decoded in the URI before signing, while its own SDKs sign
// the URI as sent; both readings are accepted (UNCONFIRMED which one HubSpot uses: see the platform notes).
const DECODED_IN_URI: readonly [string, string][] = [
  ['%3A', ':'],
  ['%2F', '/'],
  ['%3F', '?'],
  ['%40', '@'],
  ['%21', '!'],
  ['%24', '$'],
  ['%27', "'"],
  ['%28', '('],
  ['%29', ')'],
  ['%2A', '*'],
  ['%2C', ','],
  ['%3B', ';'],
];

export function verifyHubSpotSignature(
  request: SignedRequest,
  clientSecret: string,
  now: Instant,
): SignatureVerdict {
  const { signature, timestamp } = request;
  if (!signature || !timestamp || !/^\d{1,15}$/.test(timestamp)) return 'missing';
  const age = now - Number(timestamp);
  // A timestamp from the future beyond clock skew is as suspicious as an old one.
  if (age > SIGNATURE_MAX_AGE_MS || age < -SIGNATURE_MAX_AGE_MS) return 'expired';
  const presented = Buffer.from(signature, 'base64');
  const candidates = new Set([request.url, decodeUri(request.url)]);
  for (const url of candidates) {
    const expected = signV3(clientSecret, request.method, url, request.rawBody, timestamp);
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) return 'valid';
  }
  return 'mismatch';
}

/** The v3 signature bytes (the header carries them base64-encoded). */
export function signV3(
  clientSecret: string,
  method: string,
  url: string,
  body: string,
  timestamp: string,
): Buffer {
  return createHmac('sha256', clientSecret)
    .update(`${method.toUpperCase()}${url}${body}${timestamp}`, 'utf8')
    .digest();
}

function decodeUri(url: string): string {
  let decoded = url;
  for (const [escape, character] of DECODED_IN_URI)
    decoded = decoded.replace(new RegExp(escape, 'gi'), character);
  return decoded;
}
