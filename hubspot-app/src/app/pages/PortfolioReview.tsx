import type { PortfolioReviewResponse } from '@abm-pilot/hubspot-abm-client';
import { fill, useI18n } from '@abm-pilot/hubspot-abm-client';
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

// Accounts whose tier no longer matches their score, and targeted accounts past their review date.

export function PortfolioReview({ review }: { readonly review: PortfolioReviewResponse }) {
  const { messages, words, format } = useI18n();
  const text = messages.home.review;
  return (
    <Flex direction="column" gap="md" testId="portfolio-review">
      <Text format={{ fontWeight: 'demibold' }}>{format.count(text.drift, review.totals.drift)}</Text>
      {review.drift.length === 0 ? (
        <Text testId="no-drift">{text.noDrift}</Text>
      ) : (
        <Table bordered density="condensed" testId="drift">
          <TableHead>
            <TableRow>
              <TableHeader>{text.column.company}</TableHeader>
              <TableHeader>{text.column.assigned}</TableHeader>
              <TableHeader>{text.column.recommended}</TableHeader>
              <TableHeader>{text.column.drift}</TableHeader>
              <TableHeader>{text.column.score}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {review.drift.map((row) => (
              <TableRow key={row.crmId}>
                <TableCell>{row.name}</TableCell>
                <TableCell>{words.tier(row.assigned)}</TableCell>
                <TableCell>{words.tier(row.recommended)}</TableCell>
                <TableCell>
                  <StatusTag variant={row.steps > 1 ? 'danger' : 'warning'}>
                    {format.count(text.steps[row.direction], row.steps)}
                  </StatusTag>
                </TableCell>
                <TableCell>{format.decimal(row.score)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text format={{ fontWeight: 'demibold' }}>
        {fill(text.overdue, { count: review.totals.overdueReviews })}
      </Text>
      {review.overdueReviews.length === 0 ? (
        <Text testId="no-overdue">{text.noOverdue}</Text>
      ) : (
        <Table bordered density="condensed" testId="overdue">
          <TableHead>
            <TableRow>
              <TableHeader>{text.column.company}</TableHeader>
              <TableHeader>{text.column.tier}</TableHeader>
              <TableHeader>{text.column.reviewDue}</TableHeader>
              <TableHeader>{text.column.overdue}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {review.overdueReviews.map((row) => (
              <TableRow key={row.crmId}>
                <TableCell>{row.name}</TableCell>
                <TableCell>{words.tier(row.tier)}</TableCell>
                <TableCell>{format.instant(row.dueAt)}</TableCell>
                <TableCell>{format.count(text.overdueDays, row.overdueDays)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
