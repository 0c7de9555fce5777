/** Instants are UTC epoch milliseconds throughout the domain; ISO strings live only at the edges. */
export type Instant = number;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
