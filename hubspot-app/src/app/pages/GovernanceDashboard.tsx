import {
  BarChart,
  Flex,
  LineChart,
  Statistics,
  StatisticsItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';

import {
  moneyLabel,
  numberLabel,
  percentLabel,
  SEGMENT_LABELS,
  SLA_KIND_LABELS,
  tierLabel,
} from './generated/format.ts';
import type {
  GovernanceMetricsWire,
  MetricSegment,
  PortfolioReviewResponse,
} from './generated/shared/abm-contracts.js';
import { TIERS } from './generated/shared/abm-contracts.js';

// The committee's numbers for a period: charts where a shape says more than a figure (capacity, deal size
// over quarters), figures and tables elsewhere.

export interface GovernanceDashboardProps {
  readonly metrics: GovernanceMetricsWire;
  readonly segment: MetricSegment;
  /** From the portfolio review; `null` while it loads. */
  readonly capacity: PortfolioReviewResponse['capacity'] | null;
}

/** Segments compared side by side wherever the metrics split by segment. */
const COMPARED: readonly MetricSegment[] = ['tier_1', 'tier_2', 'tier_3', 'abm', 'non_abm'];

/** Bar chart rows: accounts and seats per tier. */
export function capacityRows(capacity: PortfolioReviewResponse['capacity']) {
  return TIERS.flatMap((tier) => [
    { tier: tierLabel(tier), measure: 'Accounts', value: capacity[tier].count },
    { tier: tierLabel(tier), measure: 'Capacity', value: capacity[tier].capacity },
  ]);
}

/** Line chart rows: average won deal size per quarter, ABM against the rest; quarters without wins are left out. */
export function dealSizeRows(metrics: GovernanceMetricsWire) {
  return metrics.wonDealSizeByQuarter.flatMap((quarter) =>
    (['abm', 'non_abm'] as const).flatMap((segment) => {
      const size = quarter.bySegment[segment].averageWonDealSize.value;
      return size === null ? [] : [{ quarter: quarter.quarter, segment: SEGMENT_LABELS[segment], size }];
    }),
  );
}

export function GovernanceDashboard({ metrics, segment, capacity }: GovernanceDashboardProps) {
  const pipeline = metrics.pipeline[segment];
  const { roi, slaCompliance } = metrics;
  const currency = roi.currency;
  return (
    <Flex direction="column" gap="md" testId="dashboard">
      {capacity !== null && (
        <BarChart
          data={capacityRows(capacity)}
          axes={{
            x: { field: 'tier', fieldType: 'category', label: 'Tier' },
            y: { field: 'value', fieldType: 'linear', label: 'Accounts' },
            options: { groupFieldByColor: 'measure' },
          }}
          options={{ title: 'Portfolio by tier against capacity', showLegend: true, showDataLabels: true }}
          testId="capacity-chart"
        />
      )}
      <Statistics testId="headline">
        <StatisticsItem
          label="SLA compliance"
          number={percentLabel(slaCompliance.overall.compliance.value)}
        />
        <StatisticsItem
          label={`Open pipeline (${SEGMENT_LABELS[segment]})`}
          number={moneyLabel(pipeline.openAmount, currency)}
        />
        <StatisticsItem label="Share of open pipeline" number={percentLabel(pipeline.openShare.value)} />
        <StatisticsItem label="ROI at full cost" number={percentLabel(roi.roi.value)} />
      </Statistics>
      <Table bordered density="condensed" testId="sla-compliance">
        <TableHead>
          <TableRow>
            <TableHeader>SLA</TableHeader>
            <TableHeader>Met</TableHeader>
            <TableHeader>Breached</TableHeader>
            <TableHeader>Compliance</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {(['sales_follow_up', 'sales_feedback', 'approval_decision'] as const).map((kind) => (
            <TableRow key={kind}>
              <TableCell>{SLA_KIND_LABELS[kind]}</TableCell>
              <TableCell>{slaCompliance.byKind[kind].met}</TableCell>
              <TableCell>{slaCompliance.byKind[kind].breached}</TableCell>
              <TableCell>{percentLabel(slaCompliance.byKind[kind].compliance.value)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <LineChart
        data={dealSizeRows(metrics)}
        axes={{
          x: { field: 'quarter', fieldType: 'category', label: 'Quarter' },
          y: { field: 'size', fieldType: 'linear', label: `Average won deal (${currency})` },
          options: { groupFieldByColor: 'segment' },
        }}
        options={{ title: 'Deal size evolution', showLegend: true }}
        testId="deal-size-chart"
      />
      <Table bordered density="condensed" testId="conversion">
        <TableHead>
          <TableRow>
            <TableHeader>Accounts</TableHeader>
            <TableHeader>Account to opportunity</TableHeader>
            <TableHeader>Win rate</TableHeader>
            <TableHeader>Average won deal</TableHeader>
            <TableHeader>Sales cycle (days)</TableHeader>
            <TableHeader>Pipeline created</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {COMPARED.map((row) => {
            const conversion = metrics.conversion[row];
            const won = conversion.averageWonDealSize.value;
            return (
              <TableRow key={row}>
                <TableCell>{SEGMENT_LABELS[row]}</TableCell>
                <TableCell>{percentLabel(conversion.accountToOpportunity.value)}</TableCell>
                <TableCell>{percentLabel(conversion.winRate.value)}</TableCell>
                <TableCell>{won === null ? '—' : moneyLabel(won, currency)}</TableCell>
                <TableCell>{numberLabel(conversion.salesCycleDays.value, 0)}</TableCell>
                <TableCell>{moneyLabel(metrics.pipeline[row].createdAmount, currency)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Statistics testId="roi">
        <StatisticsItem label="Won ABM revenue" number={moneyLabel(roi.wonAbmRevenue, currency)} />
        <StatisticsItem label="Gross profit" number={moneyLabel(roi.grossProfit, currency)} />
        <StatisticsItem label="Full cost" number={moneyLabel(roi.fullCost, currency)} />
        <StatisticsItem label="ROI at full cost" number={percentLabel(roi.roi.value)} />
      </Statistics>
      {roi.uncountedCost > 0 && (
        <Text variant="microcopy" testId="uncounted-cost">
          {moneyLabel(roi.uncountedCost, currency)} of booked cost is in categories the ROI does not count.
        </Text>
      )}
    </Flex>
  );
}
