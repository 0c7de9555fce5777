import type { Response } from 'express';
import type { z } from 'zod';

export interface ApiIssue {
  readonly path: string;
  readonly message: string;
}

/** Every error answer has one shape: `{ error: { code, message, issues? } }`, with a stable snake_case code. */
export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  issues?: readonly ApiIssue[],
): void {
  res.status(status).json({ error: { code, message, ...(issues ? { issues } : {}) } });
}

export const issuesOf = (error: z.ZodError): ApiIssue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
