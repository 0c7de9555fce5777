import type {
  DeliveryPeriod,
  DeliveryVerdict,
  MarketingDeliveryResponse,
} from '@abm-pilot/hubspot-abm-client';
import { deliveryVerdictOf, fill, TIERS, useI18n } from '@abm-pilot/hubspot-abm-client';
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

// Marketing's side of the SLAs: per tier, the MQAs delivered against the monthly commitment and the share
// sales accepted against the minimum, for the month so far and each closed month.

const VERDICT_TAG: Readonly<Record<DeliveryVerdict, 'success' | 'danger'>> = {
  met: 'success',
  on_track: 'success',
  missed: 'danger',
  behind: 'danger',
};

export function MarketingDelivery({ report }: { readonly report: MarketingDeliveryResponse }) {
  const { messages, format } = useI18n();
  const text = messages.home.delivery;
  return (
    <Flex direction="column" gap="md" testId="marketing-delivery">
      {report.currentMonth === null ? (
        <Text testId="delivery-not-started">{text.notStarted}</Text>
      ) : (
        <>
          <Text format={{ fontWeight: 'demibold' }}>
            {fill(text.soFar, { month: format.month(report.currentMonth.month), zone: report.timezone })}
          </Text>
          <DeliveryTable periods={[report.currentMonth]} closed={false} testId="delivery-current" />
        </>
      )}
      <Text format={{ fontWeight: 'demibold' }}>{text.closed}</Text>
      {report.months.length === 0 ? (
        <Text testId="delivery-no-month">{text.noMonth}</Text>
      ) : (
        <DeliveryTable periods={report.months} closed testId="delivery-months" />
      )}
    </Flex>
  );
}

function DeliveryTable({
  periods,
  closed,
  testId,
}: {
  readonly periods: readonly DeliveryPeriod[];
  readonly closed: boolean;
  readonly testId: string;
}) {
  const { messages, vocabulary, words, format } = useI18n();
  const column = messages.home.delivery.column;
  return (
    <Table bordered density="condensed" testId={testId}>
      <TableHead>
        <TableRow>
          {closed && <TableHeader>{column.month}</TableHeader>}
          <TableHeader>{column.tier}</TableHeader>
          <TableHeader>{vocabulary.delivery.delivered}</TableHeader>
          <TableHeader>{vocabulary.delivery.committed}</TableHeader>
          <TableHeader>{vocabulary.delivery.acceptanceRate}</TableHeader>
          <TableHeader>{vocabulary.delivery.minimumRate}</TableHeader>
          <TableHeader>{column.verdict}</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {periods.flatMap((period) =>
          TIERS.map((tier) => {
            const figures = period.byTier[tier];
            const verdict = deliveryVerdictOf(figures, closed);
            return (
              <TableRow key={`${period.month}:${tier}`}>
                {closed && <TableCell>{format.month(period.month)}</TableCell>}
                <TableCell>{words.tier(tier)}</TableCell>
                <TableCell>{figures.delivered}</TableCell>
                <TableCell>{figures.committed}</TableCell>
                <TableCell>{format.percent(figures.acceptanceRate)}</TableCell>
                <TableCell>{format.percent(period.minAcceptanceRate)}</TableCell>
                <TableCell>
                  <StatusTag variant={VERDICT_TAG[verdict]}>{vocabulary.delivery.verdict[verdict]}</StatusTag>
                </TableCell>
              </TableRow>
            );
          }),
        )}
      </TableBody>
    </Table>
  );
}
