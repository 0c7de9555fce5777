import { describe, expect, it } from 'vitest';

import { SIGNATURE_MAX_AGE_MS, signV3, verifyHubSpotSignature } from './hubspotSignature.ts';

const secret = 'app-client-secret';
const now = Date.parse('2026-11-30T09:00:00Z');
const timestamp = String(now - 1_000);
const url = 'https://abm.example.com/api/v1/accounts/123/card?portalId=42&userId=7';
const signed = (overrides: Partial<Parameters<typeof verifyHubSpotSignature>[0]> = {}) => ({
  method: 'GET',
  url,
  rawBody: '',
  timestamp,
  signature: signV3(secret, 'GET', url, '', timestamp).toString('base64'),
  ...overrides,
});

describe('HubSpot signature v3', () => {
  it('accepts a request signed with the app secret over method, URL, body and timestamp', () => {
    expect(verifyHubSpotSignature(signed(), secret, now)).toBe('valid');
  });

  it('refuses a request whose URL, body or method differ from what was signed', () => {
    expect(
      verifyHubSpotSignature(signed({ url: url.replace('portalId=42', 'portalId=43') }), secret, now),
    ).toBe('mismatch');
    expect(verifyHubSpotSignature(signed({ rawBody: '{"x":1}' }), secret, now)).toBe('mismatch');
    expect(verifyHubSpotSignature(signed({ method: 'POST' }), secret, now)).toBe('mismatch');
    expect(verifyHubSpotSignature(signed(), 'another-secret', now)).toBe('mismatch');
  });

  it('refuses a signature older than five minutes, and one from too far in the future', () => {
    expect(verifyHubSpotSignature(signed(), secret, Number(timestamp) + SIGNATURE_MAX_AGE_MS + 1)).toBe(
      'expired',
    );
    expect(verifyHubSpotSignature(signed(), secret, Number(timestamp) - SIGNATURE_MAX_AGE_MS - 1)).toBe(
      'expired',
    );
    expect(verifyHubSpotSignature(signed(), secret, Number(timestamp) + SIGNATURE_MAX_AGE_MS)).toBe('valid');
  });

  it('says missing when either header is absent or the timestamp is not a number', () => {
    expect(verifyHubSpotSignature(signed({ signature: undefined }), secret, now)).toBe('missing');
    expect(verifyHubSpotSignature(signed({ timestamp: undefined }), secret, now)).toBe('missing');
    expect(verifyHubSpotSignature(signed({ timestamp: 'yesterday' }), secret, now)).toBe('missing');
  });

  it('accepts a URI signed with the documented escapes decoded', () => {
    const escaped = 'https://abm.example.com/api/v1/audit?before=2026-11-30T09%3A00%3A00Z';
    const decoded = 'https://abm.example.com/api/v1/audit?before=2026-11-30T09:00:00Z';
    const signature = signV3(secret, 'GET', decoded, '', timestamp).toString('base64');
    expect(verifyHubSpotSignature(signed({ url: escaped, signature }), secret, now)).toBe('valid');
  });

  it('agrees with the official SDK on what a valid v3 signature is', async () => {
    const { Signature } = (await import('@hubspot/api-client/lib/src/utils/signature.js' as string)) as {
      Signature: { isValid(options: Record<string, unknown>): boolean };
    };
    // The SDK checks the timestamp against the real clock, so this one case is signed "now".
    const realNow = Date.now();
    const body = '[{"eventId":1,"subscriptionType":"company.propertyChange"}]';
    const hookUrl = 'https://abm.example.com/api/v1/webhooks/hubspot';
    const signature = signV3(secret, 'POST', hookUrl, body, String(realNow)).toString('base64');
    const request = { method: 'POST', url: hookUrl, rawBody: body, timestamp: String(realNow), signature };
    expect(verifyHubSpotSignature(request, secret, realNow)).toBe('valid');
    const sdk = (sig: string) =>
      Signature.isValid({
        signatureVersion: 'v3',
        signature: sig,
        clientSecret: secret,
        requestBody: body,
        url: hookUrl,
        method: 'POST',
        timestamp: realNow,
      });
    expect(sdk(signature)).toBe(true);
    expect(sdk(signV3(secret, 'POST', hookUrl, `${body} `, String(realNow)).toString('base64'))).toBe(false);
  });
});
