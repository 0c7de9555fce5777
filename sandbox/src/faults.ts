import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';

// Fault injection shared by both emulators. Rules are set per route (method + path regex) through
// `POST /__sandbox/faults` or in code, and fire either a fixed number of times (`count`) or on a share
// of matching requests (`rate`), drawn from a seeded generator so that a test run is reproducible.

const compiles = (pattern: string): boolean => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

export const FaultRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('status'),
    status: z.int().min(400).max(599),
    /** Extra response headers, e.g. Retry-After for a 429. */
    headers: z.record(z.string(), z.string()).optional(),
    /** Default: the emulator's own error body for the status (see `FaultResponder`). */
    body: z.unknown().optional(),
    ...matchShape(),
  }),
  z.strictObject({ kind: z.literal('slow'), delayMs: z.int().min(1).max(60_000), ...matchShape() }),
  z.strictObject({ kind: z.literal('reset'), ...matchShape() }),
  /** Batch endpoints fail the matching share of their inputs and succeed with the rest. */
  z.strictObject({ kind: z.literal('partial'), failShare: z.number().gt(0).max(1), ...matchShape() }),
]);
export type FaultRule = z.infer<typeof FaultRuleSchema>;

function matchShape() {
  return {
    method: z.string().toUpperCase().optional(),
    /** Regular expression tested against the request path (no query string). */
    path: z.string().min(1).refine(compiles, { message: 'path must be a valid regular expression' }),
    count: z.int().positive().optional(),
    rate: z.number().gt(0).max(1).optional(),
  };
}

/** What an injected status fault answers when its rule gives no body. */
export interface InjectedResponse {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Each emulator answers injected statuses in its own API's error shape (HubSpot's error object,
 * Salesforce's `[{message, errorCode}]`), so clients parse an injected fault as they would a real one.
 */
export type FaultResponder = (status: number, req: Request) => InjectedResponse;

/** For an injector used outside either emulator: a bare message. */
export const genericFaultResponse: FaultResponder = (status) => ({
  body: { message: `Injected fault ${status}` },
});

/** A rule and how many requests it has fired on since it was added. */
export interface FaultRuleHits {
  readonly rule: FaultRule;
  readonly fired: number;
}

interface LiveRule {
  readonly rule: FaultRule;
  readonly pattern: RegExp;
  remaining: number | null;
  fired: number;
}

export class FaultInjector {
  private rules: LiveRule[] = [];
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0 || 1;
  }

  add(rule: FaultRule): void {
    const parsed = FaultRuleSchema.parse(rule);
    this.rules.push({
      rule: parsed,
      pattern: new RegExp(parsed.path),
      remaining: parsed.count ?? null,
      fired: 0,
    });
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((live) => live.rule);
  }

  /** Lets a test prove that a rule took effect without timing the response. */
  hits(): FaultRuleHits[] {
    return this.rules.map((live) => ({ rule: live.rule, fired: live.fired }));
  }

  /**
   * Express middleware applying status / slow / reset rules; partial rules are read by batch handlers.
   * `respond` gives the body and headers of a status rule that names no body; a rule's own headers win.
   */
  middleware(respond: FaultResponder = genericFaultResponse) {
    return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const live = this.take(req, (rule) => rule.kind !== 'partial');
      if (!live) return next();
      const { rule } = live;
      switch (rule.kind) {
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, rule.delayMs));
          return next();
        case 'reset':
          req.socket.destroy();
          return;
        case 'status': {
          const fallback = respond(rule.status, req);
          res.status(rule.status).set({ ...fallback.headers, ...rule.headers });
          res.json(rule.body === undefined ? fallback.body : rule.body);
          return;
        }
        case 'partial':
          return next();
      }
    };
  }

  /** For batch handlers: a predicate telling which inputs of this request should fail, or null. */
  partialFailures(req: Request): ((inputIndex: number) => boolean) | null {
    const live = this.take(req, (rule) => rule.kind === 'partial');
    if (!live || live.rule.kind !== 'partial') return null;
    const share = live.rule.failShare;
    return () => this.random() < share;
  }

  private take(req: Request, accept: (rule: FaultRule) => boolean): LiveRule | null {
    for (const live of this.rules) {
      const { rule } = live;
      if (!accept(rule)) continue;
      if (rule.method && rule.method !== req.method) continue;
      if (!live.pattern.test(req.path)) continue;
      if (live.remaining === 0) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      if (live.remaining !== null) live.remaining -= 1;
      live.fired += 1;
      return live;
    }
    return null;
  }

  /** mulberry32: tiny, fast and good enough to pick which requests fail. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
