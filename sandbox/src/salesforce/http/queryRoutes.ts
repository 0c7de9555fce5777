import type { Express, Request, Response } from 'express';

import type { Cursor } from '../cursors.ts';
import { DEFAULT_BATCH_SIZE, batchSizeFrom, closeCursor, openCursor, resolveLocator } from '../cursors.ts';
import { apiError, sendApiError } from '../errors.ts';
import { runQuery } from '../query.ts';
import { planQuery } from '../soql/plan.ts';
import type { Row } from '../store.ts';
import { lookupLive } from '../store.ts';
import type { ApiSession, SalesforceEmulatorState } from './context.ts';
import { param, queryString, sessionOf } from './context.ts';

// GET /query?q=, /queryAll?q= and their locators (queryMore). The first batch comes with the query;
// when more rows remain, a cursor keeps them and `nextRecordsUrl` names the next batch.

export function registerQueryRoutes(app: Express, state: SalesforceEmulatorState): void {
  app.get('/services/data/:version/query', (req, res) => runSoql(state, req, res, false));
  app.get('/services/data/:version/queryAll', (req, res) => runSoql(state, req, res, true));
  app.get('/services/data/:version/query/:locator', (req, res) => queryMore(state, req, res));
  app.get('/services/data/:version/queryAll/:locator', (req, res) => queryMore(state, req, res));
}

function runSoql(state: SalesforceEmulatorState, req: Request, res: Response, includeDeleted: boolean): void {
  const session = sessionOf(res);
  const soql = queryString(req, 'q');
  if (soql === undefined || soql.trim() === '') {
    sendApiError(res, apiError(400, 'MALFORMED_QUERY', 'A query string has to be specified'));
    return;
  }
  const now = state.clock();
  const plan = planQuery(soql, session.org.data.schema, now);
  if (!plan.ok) {
    sendApiError(res, plan.error);
    return;
  }
  const rows = runQuery(session.org.data, plan.value, includeDeleted);
  if (plan.value.countOnly) {
    res.json({ totalSize: rows.length, done: true, records: [] });
    return;
  }
  const batchSize = batchSizeFrom(req.get('Sforce-Query-Options')) ?? DEFAULT_BATCH_SIZE;
  if (rows.length <= batchSize) {
    res.json(page(session, rows, 0, batchSize, null, (row) => renderWith(session, plan.value.render, row)));
    return;
  }
  const cursor = openCursor(
    state.cursors,
    {
      orgId: session.org.orgId,
      userId: session.userId,
      plan: plan.value,
      rows,
      batchSize,
      resource: includeDeleted ? 'queryAll' : 'query',
    },
    session.org.data.pod,
    now,
  );
  res.json(page(session, rows, 0, batchSize, cursor, (row) => renderWith(session, plan.value.render, row)));
}

function queryMore(state: SalesforceEmulatorState, req: Request, res: Response): void {
  const session = sessionOf(res);
  const found = resolveLocator(state.cursors, param(req, 'locator'), session.org.orgId, state.clock());
  if (!found) {
    sendApiError(res, apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator'));
    return;
  }
  const { cursor, offset } = found;
  const batchSize = batchSizeFrom(req.get('Sforce-Query-Options')) ?? cursor.batchSize;
  const body = page(session, cursor.rows, offset, batchSize, cursor, (row) =>
    renderWith(session, cursor.plan.render, row),
  );
  if (body.done) closeCursor(state.cursors, cursor.id);
  res.json(body);
}

function renderWith(
  session: ApiSession,
  render: (row: Row, lookup: (id: string) => Row | undefined, version: string) => Record<string, unknown>,
  row: Row,
): Record<string, unknown> {
  return render(row, (id) => lookupLive(session.org.data, id), session.version);
}

function page(
  session: ApiSession,
  rows: readonly Row[],
  offset: number,
  batchSize: number,
  cursor: Cursor | null,
  render: (row: Row) => Record<string, unknown>,
): { totalSize: number; done: boolean; nextRecordsUrl?: string; records: Record<string, unknown>[] } {
  const end = Math.min(rows.length, offset + batchSize);
  const records: Record<string, unknown>[] = [];
  for (let index = offset; index < end; index++) records.push(render(rows[index]!));
  const done = end >= rows.length || cursor === null;
  if (done) return { totalSize: rows.length, done, records };
  const nextRecordsUrl = `/services/data/v${session.version}/${cursor.resource}/${cursor.id}-${end}`;
  return { totalSize: rows.length, done, nextRecordsUrl, records };
}
