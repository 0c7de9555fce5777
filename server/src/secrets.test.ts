import { describe, expect, it } from 'vitest';

import { generateSecretKey, keyIdOf, open, parseSecretKey, seal, throwawaySecretKeys } from './secrets.ts';

describe('sealed secrets', () => {
  it('open what they sealed for the same row, naming the key without revealing it', () => {
    const keys = throwawaySecretKeys();
    const sealed = seal(keys, 'refresh-token-value', 'hubspot:1');
    expect(sealed).not.toContain('refresh-token-value');
    expect(keyIdOf(sealed)).toBe(keys.current.id);
    expect(open(keys, sealed, 'hubspot:1')).toBe('refresh-token-value');
    // A fresh IV each time: the same secret never seals to the same text.
    expect(seal(keys, 'refresh-token-value', 'hubspot:1')).not.toBe(sealed);
  });

  it('refuse a ciphertext bound to another row, or altered', () => {
    const keys = throwawaySecretKeys();
    const sealed = seal(keys, 'token', 'hubspot:1');
    expect(() => open(keys, sealed, 'hubspot:2')).toThrow(
      expect.objectContaining({ code: 'secret_unreadable' }),
    );
    const parts = sealed.split('.');
    const tag = parts[3] ?? '';
    parts[3] = `${tag.startsWith('A') ? 'B' : 'A'}${tag.slice(1)}`;
    const altered = parts.join('.');
    expect(() => open(keys, altered, 'hubspot:1')).toThrow(
      expect.objectContaining({ code: 'secret_unreadable' }),
    );
  });

  it('open with the previous key after a rotation, and name a key that is neither', () => {
    const old = throwawaySecretKeys();
    const sealed = seal(old, 'token', 't');
    const fresh = throwawaySecretKeys();
    expect(open({ current: fresh.current, previous: old.current }, sealed, 't')).toBe('token');
    expect(() => open(fresh, sealed, 't')).toThrow(expect.objectContaining({ code: 'secret_key_unknown' }));
    expect(() => seal(null, 'token', 't')).toThrow(expect.objectContaining({ code: 'secret_key_missing' }));
  });

  it('take only a 32-byte key, identified by a hash of it', () => {
    const text = generateSecretKey();
    const key = parseSecretKey(text);
    expect(typeof key).toBe('object');
    expect(parseSecretKey(text)).toEqual(key);
    expect(parseSecretKey(Buffer.alloc(16).toString('base64'))).toMatch(/32 random bytes/);
  });
});
