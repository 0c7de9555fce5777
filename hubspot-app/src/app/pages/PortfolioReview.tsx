import {
  Flex,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';

import { instantLabel, numberLabel, tierLabel } from './generated/format.ts';
import type { PortfolioReviewResponse } from './generated/shared/abm-contracts.js';

// Accounts whose tier no longer matches their score, and targeted accounts past their review date.

export function PortfolioReview({
  review,
  timeZone,
}: {
  readonly review: PortfolioReviewResponse;
  readonly timeZone: string;
}) {
  return (
    <Flex direction="column" gap="md" testId="portfolio-review">
      <Text format={{ fontWeight: 'demibold' }}>
        Drift from the recommendation ({review.totals.drift}{' '}
        {review.totals.drift === 1 ? 'account' : 'accounts'})
      </Text>
      {review.drift.length === 0 ? (
        <Text testId="no-drift">Every targeted account sits at its recommended tier.</Text>
      ) : (
        <Table bordered density="condensed" testId="drift">
          <TableHead>
            <TableRow>
              <TableHeader>Company</TableHeader>
              <TableHeader>Assigned</TableHeader>
              <TableHeader>Recommended</TableHeader>
              <TableHeader>Drift</TableHeader>
              <TableHeader>Score</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {review.drift.map((row) => (
              <TableRow key={row.crmId}>
                <TableCell>{row.name}</TableCell>
                <TableCell>{tierLabel(row.assigned)}</TableCell>
                <TableCell>{tierLabel(row.recommended)}</TableCell>
                <TableCell>
                  <StatusTag variant={row.steps > 1 ? 'danger' : 'warning'}>
                    {row.steps} {row.steps === 1 ? 'tier' : 'tiers'} {row.direction}
                  </StatusTag>
                </TableCell>
                <TableCell>{numberLabel(row.score)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text format={{ fontWeight: 'demibold' }}>Overdue reviews ({review.totals.overdueReviews})</Text>
      {review.overdueReviews.length === 0 ? (
        <Text testId="no-overdue">No review is overdue.</Text>
      ) : (
        <Table bordered density="condensed" testId="overdue">
          <TableHead>
            <TableRow>
              <TableHeader>Company</TableHeader>
              <TableHeader>Tier</TableHeader>
              <TableHeader>Review was due</TableHeader>
              <TableHeader>Overdue</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {review.overdueReviews.map((row) => (
              <TableRow key={row.crmId}>
                <TableCell>{row.name}</TableCell>
                <TableCell>{tierLabel(row.tier)}</TableCell>
                <TableCell>{instantLabel(row.dueAt, timeZone)}</TableCell>
                <TableCell>
                  {row.overdueDays} {row.overdueDays === 1 ? 'day' : 'days'}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
