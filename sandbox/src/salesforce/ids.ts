// Salesforce record ids: a 3-character key prefix naming the object, 12 case-sensitive base-62
// characters, then a 3-character suffix that encodes the case of the first 15 so that case-insensitive
// tools can still tell ids apart. The API accepts either the 15- or the 18-character form.

/** ASCII order, so that ids allocated in sequence also sort in sequence. */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_BODY = /^[0-9A-Za-z]{15}$/;

export function toBase62(value: number, width: number): string {
  const digits: string[] = new Array<string>(width);
  let rest = value;
  for (let i = width - 1; i >= 0; i--) {
    digits[i] = BASE62[rest % 62] ?? '0';
    rest = Math.floor(rest / 62);
  }
  return digits.join('');
}

/** The 3 suffix characters: bit i of chunk k is set when character 5k+i is an upper-case letter. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let bit = 0; bit < 5; bit++) {
      const code = id15.charCodeAt(chunk * 5 + bit);
      if (code >= 65 && code <= 90) flags |= 1 << bit;
    }
    suffix += SUFFIX_ALPHABET[flags];
  }
  return suffix;
}

/**
 * An 18-character id: prefix (3) + pod (2) + '0' + sequence (9 base-62 digits) + case suffix.
 * `pod` keeps the ids of different orgs apart, as real instances do.
 */
export function makeId(prefix: string, pod: string, sequence: number): string {
  const id15 = `${prefix}${pod}0${toBase62(sequence, 9)}`;
  return id15 + idSuffix(id15);
}

/** The canonical 18-character form of a 15- or 18-character id, or null when it is not an id at all. */
export function normalizeId(candidate: string): string | null {
  if (candidate.length !== 15 && candidate.length !== 18) return null;
  const id15 = candidate.slice(0, 15);
  if (!ID_BODY.test(id15)) return null;
  if (candidate.length === 18 && !/^[A-Z0-5]{3}$/.test(candidate.slice(15))) return null;
  return id15 + idSuffix(id15);
}

export const keyPrefixOf = (id: string): string => id.slice(0, 3);
