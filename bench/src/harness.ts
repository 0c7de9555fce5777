import { cpus, totalmem } from 'node:os';

/** One benchmark: `run` does `items` units of work once and returns a checksum so the work cannot be optimised away. */
export interface Benchmark {
  readonly name: string;
  readonly unit: string;
  readonly items: number;
  /** Work done once before timing, outside the measured runs (building inputs). */
  setup?(): void | Promise<void>;
  run(): unknown;
  readonly note?: string;
}

export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly items: number;
  readonly bestMs: number;
  readonly runs: number;
  readonly note?: string;
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

/** Best of `runs` timed runs after one warm-up: the best run is the least disturbed by the rest of the machine. */
export async function measure(benchmark: Benchmark, runs = 5): Promise<BenchResult> {
  await benchmark.setup?.();
  let sink: unknown = benchmark.run();
  let bestMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    sink = benchmark.run();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    bestMs = Math.min(bestMs, ms);
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
    machine: machineInfo(),
  };
}
