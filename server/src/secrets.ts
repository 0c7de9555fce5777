import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Secrets at rest (CRM tokens, client secrets) are sealed with AES-256-GCM under the key of
// ABM_SECRET_KEY. Each ciphertext names the key that sealed it (a short hash of the key, never the key),
// so a rotated key can still open what the previous one sealed (ABM_SECRET_KEY_PREVIOUS) until
// `abm-pilot connection rekey` has sealed everything again under the current one. The associated data
// binds a ciphertext to its row: one tenant's sealed tokens copied onto another's row do not open.

export interface SecretKey {
  /** Public: a hash of the key, stored beside each ciphertext. */
  readonly id: string;
  readonly key: Buffer;
}

export interface SecretKeys {
  readonly current: SecretKey;
  readonly previous: SecretKey | null;
}

const FORMAT = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** A named, expected failure of sealing or opening a secret; its message never holds a secret. */
export class SecretError extends Error {
  constructor(
    readonly code: 'secret_key_missing' | 'secret_key_unknown' | 'secret_unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'SecretError';
  }
}

/** A key from its base64 text, or the reason it is not one (for the config's error list). */
export function parseSecretKey(base64: string): SecretKey | string {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) return `must be the base64 of ${KEY_BYTES} random bytes (got ${key.length})`;
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 12), key };
}

/** A fresh random key, base64 (for `npm run demo`'s throwaway database and the tests). */
export const generateSecretKey = (): string => randomBytes(KEY_BYTES).toString('base64');

/** The key id a ciphertext was sealed under, or null when it is not one of ours. */
export function keyIdOf(sealed: string): string | null {
  const [format, keyId] = sealed.split('.');
  return format === FORMAT && keyId ? keyId : null;
}

export function seal(keys: SecretKeys | null, plaintext: string, boundTo: string): string {
  if (keys === null) {
    throw new SecretError(
      'secret_key_missing',
      'set ABM_SECRET_KEY (base64 of 32 random bytes) to store CRM secrets',
    );
  }
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, keys.current.id, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function open(keys: SecretKeys | null, sealed: string, boundTo: string): string {
  if (keys === null) {
    throw new SecretError('secret_key_missing', 'set ABM_SECRET_KEY to read the stored CRM secrets');
  }
  const [format, keyId, iv, tag, body] = sealed.split('.');
  if (format !== FORMAT || !keyId || !iv || !tag || body === undefined) {
    throw new SecretError('secret_unreadable', 'a stored secret is not in a known format');
  }
  const key = [keys.current, keys.previous].find((candidate) => candidate?.id === keyId) ?? null;
  if (key === null) {
    throw new SecretError(
      'secret_key_unknown',
      `a stored secret was sealed under key ${keyId}, which is neither ABM_SECRET_KEY nor ABM_SECRET_KEY_PREVIOUS`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SecretError('secret_unreadable', `a stored secret does not open under key ${keyId}`);
  }
}

/** Keys for a throwaway database (`npm run demo`, tests): a fresh random key, no previous one. */
export function throwawaySecretKeys(): SecretKeys {
  const current = parseSecretKey(generateSecretKey());
  if (typeof current === 'string') throw new Error(current);
  return { current, previous: null };
}
