// Every record is drawn from its own stream, keyed by (seed, account index, record kind), so an account
// can be produced without producing the ones before it, and adding a draw to one kind of record leaves
// the others unchanged.

/** murmur3's 32-bit finaliser: spreads every input bit over the whole word. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Seed of the stream for one (seed, index, salt); any safe-integer seed counts in full, not just its low word. */
export function streamSeed(seed: number, index: number, salt: number): number {
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
  let h = mix32(low ^ 0x9e3779b9);
  h = mix32(h ^ Math.imul(high + 1, 0x85ebca77));
  h = mix32(h ^ Math.imul(index + 1, 0xc2b2ae3d));
  return mix32(h ^ Math.imul(salt + 1, 0x27d4eb2f));
}

export interface WeightedTable<T> {
  readonly values: readonly T[];
  /** Running totals of the weights, normalised so the last one is 1. */
  readonly cumulative: readonly number[];
}

export function weightedTable<T>(entries: readonly (readonly [T, number])[]): WeightedTable<T> {
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (entries.length === 0 || !(total > 0)) throw new Error('a weighted table needs a positive total weight');
  let running = 0;
  const cumulative = entries.map(([, weight]) => (running += weight) / total);
  return { values: entries.map(([value]) => value), cumulative };
}

/**
 * mulberry32: tiny and fast, and its 2^32 period is far beyond the few hundred draws an account takes.
 * A class rather than closures: a million accounts create four streams each, and methods on the
 * prototype cost nothing per stream.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, maxExclusive); always consumes exactly one draw, whatever the bound. */
  int(maxExclusive: number): number {
    return Math.floor(this.float() * maxExclusive);
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** Standard normal (Box-Muller, two draws). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  pick<T>(values: readonly T[]): T {
    const value = values[this.int(values.length)];
    if (value === undefined) throw new Error('cannot pick from an empty list');
    return value;
  }

  weighted<T>(table: WeightedTable<T>): T {
    const draw = this.float();
    const { cumulative, values } = table;
    for (let i = 0; i < cumulative.length - 1; i++) {
      if (draw < (cumulative[i] as number)) return values[i] as T;
    }
    return values[values.length - 1] as T;
  }
}

export const createRandom = (seed: number): Random => new Random(seed);
