import type {
  GovernanceMetricsWire,
  I18n,
  MetricSegment,
  PortfolioReviewResponse,
} from '@abm-pilot/hubspot-abm-client';
import { ACCOUNT_SLA_KINDS, fill, TIERS, useI18n } from '@abm-pilot/hubspot-abm-client';
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
export function capacityRows(capacity: PortfolioReviewResponse['capacity'], { messages, words }: I18n) {
  const text = messages.home.dashboard;
  return TIERS.flatMap((tier) => [
    { tier: words.tier(tier), measure: text.accounts, value: capacity[tier].count },
    { tier: words.tier(tier), measure: text.capacity, value: capacity[tier].capacity },
  ]);
}

/** `2026-Q2` as the reader writes a quarter. */
const quarterLabel = (quarter: string, { messages }: I18n) => {
  const [year, number] = quarter.split('-Q');
  return number === undefined
    ? quarter
    : fill(messages.home.dashboard.quarter, { year: year ?? '', quarter: number });
};

/** Line chart rows: average won deal size per quarter, ABM against the rest; quarters without wins are left out. */
export function dealSizeRows(metrics: GovernanceMetricsWire, i18n: I18n) {
  return metrics.wonDealSizeByQuarter.flatMap((quarter) =>
    (['abm', 'non_abm'] as const).flatMap((segment) => {
      const size = quarter.bySegment[segment].averageWonDealSize.value;
      return size === null
        ? []
        : [{ quarter: quarterLabel(quarter.quarter, i18n), segment: i18n.vocabulary.segment[segment], size }];
    }),
  );
}

export function GovernanceDashboard({ metrics, segment, capacity }: GovernanceDashboardProps) {
  const i18n = useI18n();
  const { messages, vocabulary, format } = i18n;
  const text = messages.home.dashboard;
  const pipeline = metrics.pipeline[segment];
  const { roi, slaCompliance } = metrics;
  const currency = roi.currency;
  return (
    <Flex direction="column" gap="md" testId="dashboard">
      {capacity !== null && (
        <BarChart
          data={capacityRows(capacity, i18n)}
          axes={{
            x: { field: 'tier', fieldType: 'category', label: text.tierAxis },
            y: { field: 'value', fieldType: 'linear', label: text.accounts },
            options: { groupFieldByColor: 'measure' },
          }}
          options={{ title: text.capacityTitle, showLegend: true, showDataLabels: true }}
          testId="capacity-chart"
        />
      )}
      <Statistics testId="headline">
        <StatisticsItem
          label={text.slaCompliance}
          number={format.percent(slaCompliance.overall.compliance.value)}
        />
        <StatisticsItem
          label={fill(text.openPipeline, { segment: vocabulary.segment[segment] })}
          number={format.money(pipeline.openAmount, currency)}
        />
        <StatisticsItem label={text.openShare} number={format.percent(pipeline.openShare.value)} />
        <StatisticsItem label={text.roi} number={format.percent(roi.roi.value)} />
      </Statistics>
      <Table bordered density="condensed" testId="sla-compliance">
        <TableHead>
          <TableRow>
            <TableHeader>{text.slaColumn.sla}</TableHeader>
            <TableHeader>{text.slaColumn.met}</TableHeader>
            <TableHeader>{text.slaColumn.breached}</TableHeader>
            <TableHeader>{text.slaColumn.compliance}</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {ACCOUNT_SLA_KINDS.map((kind) => (
            <TableRow key={kind}>
              <TableCell>{vocabulary.slaKind[kind]}</TableCell>
              <TableCell>{slaCompliance.byKind[kind].met}</TableCell>
              <TableCell>{slaCompliance.byKind[kind].breached}</TableCell>
              <TableCell>{format.percent(slaCompliance.byKind[kind].compliance.value)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <LineChart
        data={dealSizeRows(metrics, i18n)}
        axes={{
          x: { field: 'quarter', fieldType: 'category', label: text.quarterAxis },
          y: { field: 'size', fieldType: 'linear', label: fill(text.dealSizeAxis, { currency }) },
          options: { groupFieldByColor: 'segment' },
        }}
        options={{ title: text.dealSizeTitle, showLegend: true }}
        testId="deal-size-chart"
      />
      <Table bordered density="condensed" testId="conversion">
        <TableHead>
          <TableRow>
            <TableHeader>{text.conversionColumn.accounts}</TableHeader>
            <TableHeader>{text.conversionColumn.accountToOpportunity}</TableHeader>
            <TableHeader>{text.conversionColumn.winRate}</TableHeader>
            <TableHeader>{text.conversionColumn.averageWonDeal}</TableHeader>
            <TableHeader>{text.conversionColumn.salesCycle}</TableHeader>
            <TableHeader>{text.conversionColumn.pipelineCreated}</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {COMPARED.map((row) => {
            const conversion = metrics.conversion[row];
            return (
              <TableRow key={row}>
                <TableCell>{vocabulary.segment[row]}</TableCell>
                <TableCell>{format.percent(conversion.accountToOpportunity.value)}</TableCell>
                <TableCell>{format.percent(conversion.winRate.value)}</TableCell>
                <TableCell>{format.money(conversion.averageWonDealSize.value, currency)}</TableCell>
                <TableCell>{format.decimal(conversion.salesCycleDays.value, 0)}</TableCell>
                <TableCell>{format.money(metrics.pipeline[row].createdAmount, currency)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Statistics testId="roi">
        <StatisticsItem label={text.wonAbmRevenue} number={format.money(roi.wonAbmRevenue, currency)} />
        <StatisticsItem label={text.grossProfit} number={format.money(roi.grossProfit, currency)} />
        <StatisticsItem label={text.fullCost} number={format.money(roi.fullCost, currency)} />
        <StatisticsItem label={text.roi} number={format.percent(roi.roi.value)} />
      </Statistics>
      {roi.uncountedCost > 0 && (
        <Text variant="microcopy" testId="uncounted-cost">
          {fill(text.uncountedCost, { amount: format.money(roi.uncountedCost, currency) })}
        </Text>
      )}
    </Flex>
  );
}
