import pino from 'pino';
import type { Logger } from 'pino';

/**
 * Structured JSON logs. Anything that could carry a credential is censored by path, as a second line of
 * defence: no code logs a token on purpose.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          '*.token',
          '*.accessToken',
          '*.refreshToken',
          '*.clientSecret',
          '*.authorization',
          'req.headers.authorization',
          'req.headers["x-hubspot-signature-v3"]',
          'auth',
          '*.auth',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
