/**
 * Freezes a value and everything it holds, in place, and returns it. Domain functions cache work per
 * config object (compiled scoring models, compiled calendars), so a config must not change once built.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
