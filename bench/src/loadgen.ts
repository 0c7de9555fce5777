import { createRequire } from 'node:module';

// The load generator of the API benchmark, in its own process so that it has its own core and the server
// under test keeps the other: sharing one thread with the server would bill the generator's work to it.
// Started by api.bench.ts with fork(); takes one LoadRequest message, answers one LoadResult, and exits.

export interface LoadRequest {
  readonly url: string;
  readonly connections: number;
  readonly durationS: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Request paths are `${pathPrefix}${id}${pathSuffix}` with ids walked by `stride` over `ids`. */
  readonly pathPrefix: string;
  readonly pathSuffix: string;
  readonly ids: number;
  readonly stride: number;
  readonly idWidth: number;
}

/** The slice of autocannon 8 the benchmark reads: it ships no types. */
export interface LoadResult {
  readonly requests: { readonly average: number; readonly total: number };
  readonly latency: { readonly p50: number; readonly p99: number; readonly average: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly duration: number;
}

interface RawRequest {
  path?: string;
}
type Autocannon = (options: {
  readonly url: string;
  readonly connections: number;
  readonly duration: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly requests: readonly { setupRequest(request: RawRequest): RawRequest }[];
}) => Promise<LoadResult>;

async function generateLoad(request: LoadRequest): Promise<LoadResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  let next = 0;
  return autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationS,
    headers: request.headers,
    requests: [
      {
        setupRequest: (raw) => {
          next = (next + request.stride) % request.ids;
          const id = String(next).padStart(request.idWidth, '0');
          return { ...raw, path: `${request.pathPrefix}${id}${request.pathSuffix}` };
        },
      },
    ],
  });
}

if (process.send) {
  process.once('message', (message: LoadRequest) => {
    void generateLoad(message).then(
      (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
      (error: unknown) => process.send?.({ ok: false, error: String(error) }, () => process.exit(1)),
    );
  });
}
