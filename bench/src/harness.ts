import { cpus, totalmem } from 'node:os';

/**
 * One benchmark: `run` does `items` units of work once and returns a checksum so the work cannot be
 * optimised away. A `run` may be asynchronous (it is awaited), and may time itself by returning
 * `timedRun(ms, checksum)`: then only the part it timed counts, not the fresh state it built first.
 */
export interface Benchmark {
  readonly name: string;
  readonly unit: string;
  readonly items: number;
  /** Work done once before timing, outside the measured runs (building inputs). */
  setup?(): void | Promise<void>;
  run(): unknown;
  readonly note?: string;
  /** Timed runs, 5 by default; a benchmark that takes minutes asks for fewer. */
  readonly runs?: number;
  /** Whether one untimed run comes first (default true): worth nothing to a run that lasts minutes. */
  readonly warmUp?: boolean;
  /** Figures beside the value, read after the last run: API calls, their minimum, 429s seen. */
  figures?(): Readonly<Record<string, number>>;
}

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly items: number;
  readonly bestMs: number;
  readonly runs: number;
  readonly note?: string;
  readonly figures?: Readonly<Record<string, number>>;
  readonly machine: MachineInfo;
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

const TIMED = Symbol('timed run');

/** What a self-timed run returns: the milliseconds of the part it measures, and its checksum. */
export interface TimedRun {
  readonly [TIMED]: true;
  readonly ms: number;
  readonly checksum: unknown;
}

export const timedRun = (ms: number, checksum: unknown): TimedRun => ({ [TIMED]: true, ms, checksum });

const isTimedRun = (value: unknown): value is TimedRun =>
  typeof value === 'object' && value !== null && TIMED in value;

const isPromise = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

async function runOnce(benchmark: Benchmark): Promise<{ ms: number; sink: unknown }> {
  const start = process.hrtime.bigint();
  let outcome = benchmark.run();
  // Synchronous runs are timed without an await, which would add a turn of the event loop.
  if (isPromise(outcome)) outcome = await outcome;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return isTimedRun(outcome) ? { ms: outcome.ms, sink: outcome.checksum } : { ms, sink: outcome };
}

/** Best of `runs` timed runs after one warm-up: the best run is the least disturbed by the rest of the machine. */
export async function measure(benchmark: Benchmark, runs = benchmark.runs ?? 5): Promise<BenchResult> {
  await benchmark.setup?.();
  let sink: unknown = benchmark.warmUp === false ? null : (await runOnce(benchmark)).sink;
  let bestMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i += 1) {
    const timed = await runOnce(benchmark);
    sink = timed.sink;
    bestMs = Math.min(bestMs, timed.ms);
  }
  if (sink === undefined) throw new Error(`${benchmark.name} returned no checksum`);
  return {
    name: benchmark.name,
    unit: benchmark.unit,
    value: Math.round(benchmark.items / (bestMs / 1000)),
    items: benchmark.items,
    bestMs: Math.round(bestMs * 10) / 10,
    runs,
    ...(benchmark.note ? { note: benchmark.note } : {}),
    ...(benchmark.figures ? { figures: benchmark.figures() } : {}),
    machine: machineInfo(),
  };
}
