import type {
  ApiFailure,
  ApiResult,
  PortfolioReviewResponse,
  RecordReviewResponse,
} from '@abm-pilot/hubspot-abm-client';
import { fill, useI18n } from '@abm-pilot/hubspot-abm-client';
import {
  Alert,
  Button,
  Flex,
  LoadingButton,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { useState } from 'react';

// Accounts whose tier no longer matches their score, and targeted accounts past their review date, each of
// which the viewer may review in place when the server allows them.

type OverdueRow = PortfolioReviewResponse['overdueReviews'][number];

/** A review chosen from the list keeps its idempotency key through retries, so it is recorded once. */
type Reviewing =
  | { readonly status: 'idle' }
  | { readonly status: 'editing'; readonly row: OverdueRow; readonly key: string }
  | { readonly status: 'sending'; readonly row: OverdueRow; readonly key: string }
  | {
      readonly status: 'failed';
      readonly row: OverdueRow;
      readonly key: string;
      readonly failure: ApiFailure;
    }
  | { readonly status: 'recorded'; readonly row: OverdueRow; readonly response: RecordReviewResponse };

export interface PortfolioReviewProps {
  readonly review: PortfolioReviewResponse;
  readonly onRecordReview: (
    crmId: string,
    note: string,
    idempotencyKey: string,
  ) => Promise<ApiResult<RecordReviewResponse>>;
  readonly newKey: () => string;
}

export function PortfolioReview({ review, onRecordReview, newKey }: PortfolioReviewProps) {
  const { messages, vocabulary, words, format } = useI18n();
  const text = messages.home.review;
  const [reviewing, setReviewing] = useState<Reviewing>({ status: 'idle' });
  const [note, setNote] = useState('');
  const record = async (row: OverdueRow, key: string) => {
    setReviewing({ status: 'sending', row, key });
    const result = await onRecordReview(row.crmId, note, key);
    setReviewing(
      result.ok
        ? { status: 'recorded', row, response: result.value }
        : { status: 'failed', row, key, failure: result.failure },
    );
    if (result.ok) setNote('');
  };
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
              <TableHeader>{vocabulary.review.heading}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {review.overdueReviews.map((row) => (
              <TableRow key={row.crmId}>
                <TableCell>{row.name}</TableCell>
                <TableCell>{words.tier(row.tier)}</TableCell>
                <TableCell>{format.instant(row.dueAt)}</TableCell>
                <TableCell>{format.count(text.overdueDays, row.overdueDays)}</TableCell>
                <TableCell>
                  {row.reviewAllowed === true && (
                    <Button
                      variant="secondary"
                      size="xs"
                      onClick={() => {
                        setNote('');
                        setReviewing({ status: 'editing', row, key: newKey() });
                      }}
                      testId={`review-${row.crmId}`}
                    >
                      {vocabulary.review.record}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {reviewing.status === 'recorded' ? (
        <Alert title={reviewing.row.name} variant="success" testId="review-recorded">
          {fill(vocabulary.review.recorded, {
            instant: format.instant(reviewing.response.review.nextDueAt),
          })}
        </Alert>
      ) : reviewing.status !== 'idle' ? (
        <Tile testId="review-form">
          <Flex direction="column" gap="sm">
            <Text format={{ fontWeight: 'demibold' }}>
              {fill(vocabulary.review.recordOf, { account: reviewing.row.name })}
            </Text>
            <TextArea
              label={vocabulary.review.note}
              name="reviewNote"
              value={note}
              maxLength={2000}
              onChange={setNote}
              testId="review-note"
            />
            {reviewing.status === 'failed' && (
              <Alert title={vocabulary.review.notRecorded} variant="error" testId="review-failure">
                {words.failure(reviewing.failure)}
              </Alert>
            )}
            <Flex direction="row" gap="sm">
              <LoadingButton
                variant="primary"
                loading={reviewing.status === 'sending'}
                disabled={reviewing.status === 'sending'}
                onClick={() => void record(reviewing.row, reviewing.key)}
                testId="review-submit"
              >
                {reviewing.status === 'failed' ? messages.common.tryAgain : vocabulary.review.record}
              </LoadingButton>
              <Button
                variant="secondary"
                onClick={() => setReviewing({ status: 'idle' })}
                testId="review-cancel"
              >
                {vocabulary.review.cancel}
              </Button>
            </Flex>
          </Flex>
        </Tile>
      ) : null}
    </Flex>
  );
}
