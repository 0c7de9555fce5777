import type { ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { Divider, Flex, Heading, Select } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';

import type { ApiResult, Fetcher } from './generated/abmApi.ts';
import { requestOf } from './generated/abmApi.ts';
import { SEGMENT_LABELS } from './generated/format.ts';
import type { ApprovalDecisionResponse, MetricSegment } from './generated/shared/abm-contracts.js';
import {
  approveContract,
  governanceMetricsContract,
  METRIC_SEGMENTS,
  pendingApprovalsContract,
  portfolioReviewContract,
  rejectContract,
  TierSchema,
} from './generated/shared/abm-contracts.js';
import { FailureView, LoadingView } from './generated/StatusViews.tsx';
import { useAbmApi } from './generated/useAbmApi.ts';
import { ApprovalQueue } from './ApprovalQueue.tsx';
import { GovernanceDashboard } from './GovernanceDashboard.tsx';
import type { PeriodChoice } from './periods.ts';
import { PERIOD_CHOICES, PERIOD_LABELS, periodOf } from './periods.ts';
import { PortfolioReview } from './PortfolioReview.tsx';

export interface GovernanceHomeProps {
  readonly context: ExtensionPointApiContext<'home'>;
  /** Defaults to `hubspot.fetch`. */
  readonly fetcher?: Fetcher;
  readonly now?: () => number;
}

/** The app home of the ABM committee: dashboard, approval queue, portfolio review. */
export function GovernanceHome({ context, fetcher, now = Date.now }: GovernanceHomeProps) {
  const caller = useMemo(
    () => ({ portalId: context.portal.id, userId: context.user.id }),
    [context.portal.id, context.user.id],
  );
  // One instant per visit: a period ending "now" must not change, and re-read, at every render.
  const [openedAt] = useState(now);
  const [period, setPeriod] = useState<PeriodChoice>('last_quarter');
  const [segment, setSegment] = useState<MetricSegment>('abm');
  const tier = TierSchema.safeParse(segment);
  const tierFilter = tier.success ? tier.data : undefined;

  const metricsRead = useMemo(
    () => requestOf(governanceMetricsContract, { query: { ...periodOf(period, openedAt), tier: segment } }),
    [period, segment, openedAt],
  );
  const reviewRead = useMemo(
    () => requestOf(portfolioReviewContract, { query: { tier: tierFilter } }),
    [tierFilter],
  );
  const approvalsRead = useMemo(() => requestOf(pendingApprovalsContract), []);
  const metrics = useAbmApi(caller, metricsRead, fetcher);
  const review = useAbmApi(caller, reviewRead, fetcher);
  const approvals = useAbmApi(caller, approvalsRead, fetcher);

  const decide = async (
    approvalId: string,
    decision: 'approve' | 'reject',
    comment: string,
  ): Promise<ApiResult<ApprovalDecisionResponse>> => {
    const trimmed = comment.trim();
    const result =
      decision === 'approve'
        ? await approvals.send(
            requestOf(approveContract, {
              params: { id: approvalId },
              body: trimmed === '' ? {} : { comment: trimmed },
            }),
          )
        : await approvals.send(
            requestOf(rejectContract, { params: { id: approvalId }, body: { comment: trimmed } }),
          );
    if (result.ok) {
      approvals.refresh();
      review.refresh();
    }
    return result;
  };

  return (
    <Flex direction="column" gap="lg">
      <Flex direction="row" gap="md" align="end">
        <Select
          label="Period"
          name="period"
          value={period}
          options={PERIOD_CHOICES.map((choice) => ({ label: PERIOD_LABELS[choice], value: choice }))}
          onChange={(value) => setPeriod(PERIOD_CHOICES.find((choice) => choice === value) ?? 'last_quarter')}
          testId="period-filter"
        />
        <Select
          label="Accounts"
          name="segment"
          value={segment}
          options={METRIC_SEGMENTS.map((value) => ({ label: SEGMENT_LABELS[value], value }))}
          onChange={(value) => setSegment(METRIC_SEGMENTS.find((choice) => choice === value) ?? 'abm')}
          testId="segment-filter"
        />
      </Flex>
      <Heading>Governance dashboard</Heading>
      {metrics.state.status === 'loading' && (
        <LoadingView label="Loading the dashboard" testIdPrefix="metrics-" />
      )}
      {metrics.state.status === 'failed' && (
        <FailureView failure={metrics.state.failure} onRetry={metrics.reload} testIdPrefix="metrics-" />
      )}
      {metrics.state.status === 'ready' && (
        <GovernanceDashboard
          metrics={metrics.state.data.metrics}
          segment={segment}
          capacity={review.state.status === 'ready' ? review.state.data.capacity : null}
        />
      )}
      <Divider />
      <Heading>Approval queue</Heading>
      {approvals.state.status === 'loading' && (
        <LoadingView label="Loading the approval queue" testIdPrefix="approvals-" />
      )}
      {approvals.state.status === 'failed' && (
        <FailureView failure={approvals.state.failure} onRetry={approvals.reload} testIdPrefix="approvals-" />
      )}
      {approvals.state.status === 'ready' && (
        <ApprovalQueue
          approvals={approvals.state.data.approvals}
          timeZone={context.portal.timezone}
          viewerId={String(context.user.id)}
          onDecide={decide}
        />
      )}
      <Divider />
      <Heading>Portfolio review</Heading>
      {review.state.status === 'loading' && (
        <LoadingView label="Loading the portfolio review" testIdPrefix="review-" />
      )}
      {review.state.status === 'failed' && (
        <FailureView failure={review.state.failure} onRetry={review.reload} testIdPrefix="review-" />
      )}
      {review.state.status === 'ready' && (
        <PortfolioReview review={review.state.data} timeZone={context.portal.timezone} />
      )}
    </Flex>
  );
}
