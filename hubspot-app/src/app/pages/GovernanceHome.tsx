import type {
  ApiResult,
  ApprovalDecisionResponse,
  Fetcher,
  MetricSegment,
  RecordReviewResponse,
} from '@abm-pilot/hubspot-abm-client';
import {
  approveContract,
  FailureView,
  governanceMetricsContract,
  I18nProvider,
  LoadingView,
  marketingDeliveryContract,
  METRIC_SEGMENTS,
  newIdempotencyKey,
  pendingApprovalsContract,
  portfolioReviewContract,
  recordReviewContract,
  rejectContract,
  requestOf,
  TierSchema,
  useAbmApi,
  useI18n,
} from '@abm-pilot/hubspot-abm-client';
import type { ExtensionPointApiContext } from '@hubspot/ui-extensions';
import { Divider, Flex, Heading, Select } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';

import { ApprovalQueue } from './ApprovalQueue.tsx';
import { GovernanceDashboard } from './GovernanceDashboard.tsx';
import { MarketingDelivery } from './MarketingDelivery.tsx';
import type { PeriodChoice } from './periods.ts';
import { PERIOD_CHOICES, periodOf } from './periods.ts';
import { PortfolioReview } from './PortfolioReview.tsx';

export interface GovernanceHomeProps {
  readonly context: ExtensionPointApiContext<'home'>;
  /** Defaults to `hubspot.fetch`. */
  readonly fetcher?: Fetcher;
  readonly now?: () => number;
  readonly newKey?: () => string;
}

/**
 * The app home of the ABM committee: dashboard, marketing delivery, approval queue, portfolio review, in the
 * language of the HubSpot user who opens it.
 */
export const GovernanceHome = (props: GovernanceHomeProps) => (
  <I18nProvider context={props.context}>
    <GovernanceHomeContent {...props} />
  </I18nProvider>
);

function GovernanceHomeContent({
  context,
  fetcher,
  now = Date.now,
  newKey = newIdempotencyKey,
}: GovernanceHomeProps) {
  const { messages, vocabulary } = useI18n();
  const text = messages.home;
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
  const deliveryRead = useMemo(() => requestOf(marketingDeliveryContract), []);
  const metrics = useAbmApi(caller, metricsRead, fetcher);
  const review = useAbmApi(caller, reviewRead, fetcher);
  const approvals = useAbmApi(caller, approvalsRead, fetcher);
  const delivery = useAbmApi(caller, deliveryRead, fetcher);

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

  const recordReview = async (
    crmId: string,
    note: string,
    idempotencyKey: string,
  ): Promise<ApiResult<RecordReviewResponse>> => {
    const trimmed = note.trim();
    const result = await review.send(
      requestOf(recordReviewContract, {
        params: { crmId },
        body: { idempotencyKey, ...(trimmed === '' ? {} : { note: trimmed }) },
      }),
    );
    // Reviewed, the account leaves the overdue list.
    if (result.ok) review.refresh();
    return result;
  };

  return (
    <Flex direction="column" gap="lg">
      <Flex direction="row" gap="md" align="end">
        <Select
          label={text.period.label}
          name="period"
          value={period}
          options={PERIOD_CHOICES.map((choice) => ({ label: text.period.choice[choice], value: choice }))}
          onChange={(value) => setPeriod(PERIOD_CHOICES.find((choice) => choice === value) ?? 'last_quarter')}
          testId="period-filter"
        />
        <Select
          label={text.segmentFilter}
          name="segment"
          value={segment}
          options={METRIC_SEGMENTS.map((value) => ({ label: vocabulary.segment[value], value }))}
          onChange={(value) => setSegment(METRIC_SEGMENTS.find((choice) => choice === value) ?? 'abm')}
          testId="segment-filter"
        />
      </Flex>
      <Heading>{text.dashboard.heading}</Heading>
      {metrics.state.status === 'loading' && (
        <LoadingView label={text.dashboard.loading} testIdPrefix="metrics-" />
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
      <Heading>{text.delivery.heading}</Heading>
      {delivery.state.status === 'loading' && (
        <LoadingView label={text.delivery.loading} testIdPrefix="delivery-" />
      )}
      {delivery.state.status === 'failed' && (
        <FailureView failure={delivery.state.failure} onRetry={delivery.reload} testIdPrefix="delivery-" />
      )}
      {delivery.state.status === 'ready' && <MarketingDelivery report={delivery.state.data} />}
      <Divider />
      <Heading>{text.approvals.heading}</Heading>
      {approvals.state.status === 'loading' && (
        <LoadingView label={text.approvals.loading} testIdPrefix="approvals-" />
      )}
      {approvals.state.status === 'failed' && (
        <FailureView failure={approvals.state.failure} onRetry={approvals.reload} testIdPrefix="approvals-" />
      )}
      {approvals.state.status === 'ready' && (
        <ApprovalQueue
          approvals={approvals.state.data.approvals}
          viewerId={String(context.user.id)}
          onDecide={decide}
        />
      )}
      <Divider />
      <Heading>{text.review.heading}</Heading>
      {review.state.status === 'loading' && (
        <LoadingView label={text.review.loading} testIdPrefix="review-" />
      )}
      {review.state.status === 'failed' && (
        <FailureView failure={review.state.failure} onRetry={review.reload} testIdPrefix="review-" />
      )}
      {review.state.status === 'ready' && (
        <PortfolioReview review={review.state.data} onRecordReview={recordReview} newKey={newKey} />
      )}
    </Flex>
  );
}
