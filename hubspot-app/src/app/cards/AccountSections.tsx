import {
  Alert,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  List,
  Statistics,
  StatisticsItem,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';

import {
  instantLabel,
  numberLabel,
  ROLE_LABELS,
  rolesLabel,
  SLA_KIND_LABELS,
  SLA_STATUS,
  tierLabel,
  timeLeftLabel,
} from './generated/format.ts';
import type {
  AccountCardResponse,
  AccountOwnerView,
  OwnershipRole,
} from './generated/shared/abm-contracts.js';
import { AXES, CRITERION_LABELS } from './generated/shared/abm-contracts.js';

// The read-only parts of the company card, each a plain function of the card view.

type Card = AccountCardResponse;

const TIER_TAG = { tier_1: 'success', tier_2: 'info', tier_3: 'default' } as const;

export function TierSection({ tier }: { readonly tier: Card['tier'] }) {
  const { assigned, recommended, drift } = tier;
  return (
    <Flex direction="column" gap="xs" testId="tier">
      <Flex direction="row" gap="sm" align="center">
        <Heading inline>ABM tier</Heading>
        <StatusTag variant={assigned === null ? 'default' : TIER_TAG[assigned]} hollow={assigned === null}>
          {tierLabel(assigned)}
        </StatusTag>
      </Flex>
      <Text>
        Recommended by the score: {recommended === null ? 'no tier' : tierLabel(recommended)}
        {drift.steps > 0 && (
          <Tag variant="warning" inline testId="drift">
            {drift.steps} {drift.steps === 1 ? 'tier' : 'tiers'} {drift.direction} the recommendation
          </Tag>
        )}
      </Text>
    </Flex>
  );
}

const AXIS_LABELS = {
  revenue_potential: 'Revenue potential',
  probability_of_success: 'Probability of success',
  strategic_alignment: 'Strategic alignment',
} as const;

export function ScoreSection({ score }: { readonly score: Card['score'] }) {
  if (score === null)
    return <Text testId="score">Not scored yet: the score appears after the next sync.</Text>;
  return (
    <Flex direction="column" gap="xs" testId="score">
      <Statistics>
        <StatisticsItem label="ABM score" number={numberLabel(score.value)} testId="score-value" />
        {AXES.map((axis) => (
          <StatisticsItem key={axis} label={AXIS_LABELS[axis]} number={numberLabel(score.axes[axis])} />
        ))}
      </Statistics>
      {score.topReasons.length > 0 && (
        <>
          <Text format={{ fontWeight: 'demibold' }}>Top reasons</Text>
          <List variant="unordered-styled" testId="top-reasons">
            {score.topReasons.map((reason) => (
              <Text key={reason.criterion}>
                {reason.label}: {numberLabel(reason.points)} of {numberLabel(reason.maxPoints)} points
              </Text>
            ))}
          </List>
        </>
      )}
      {score.missing.length > 0 && (
        <Text variant="microcopy">
          No data yet for {score.missing.map((criterion) => CRITERION_LABELS[criterion]).join(', ')}: scored
          neutral.
        </Text>
      )}
    </Flex>
  );
}

export function SlaSection({
  slas,
  now,
  timeZone,
}: {
  readonly slas: Card['slas'];
  readonly now: number;
  readonly timeZone: string;
}) {
  if (slas.length === 0) return <Text testId="slas">No SLA is running on this account.</Text>;
  return (
    <Table bordered={false} density="condensed" testId="slas">
      <TableHead>
        <TableRow>
          <TableHeader>SLA</TableHeader>
          <TableHeader>Status</TableHeader>
          <TableHeader>Time</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {slas.map((sla) => (
          <TableRow key={sla.key}>
            <TableCell>{SLA_KIND_LABELS[sla.kind]}</TableCell>
            <TableCell>
              <StatusTag variant={SLA_STATUS[sla.status].variant}>{SLA_STATUS[sla.status].label}</StatusTag>
            </TableCell>
            <TableCell>
              {sla.stoppedAt === null
                ? timeLeftLabel(sla.dueAt, now)
                : `Stopped ${instantLabel(sla.stoppedAt, timeZone)}`}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

const OWNERSHIP_LABELS: Readonly<Record<OwnershipRole, string>> = {
  account_owner: 'Account owner',
  abm_owner: 'ABM owner',
  executive_sponsor: 'Executive sponsor',
};

const ownerLabel = (owner: AccountOwnerView) =>
  `${owner.name ?? `User ${owner.userId}`} (${rolesLabel(owner.governanceRoles)})`;

export function OwnersSection({ owners }: { readonly owners: Card['owners'] }) {
  if (owners.length === 0) return <Text testId="owners">No owner assigned.</Text>;
  return (
    <DescriptionList direction="row" testId="owners">
      {owners.map((owner) => (
        <DescriptionListItem key={`${owner.role}:${owner.userId}`} label={OWNERSHIP_LABELS[owner.role]}>
          <Text>{ownerLabel(owner)}</Text>
        </DescriptionListItem>
      ))}
    </DescriptionList>
  );
}

export function PendingApprovalSection({
  approval,
  timeZone,
}: {
  readonly approval: Card['pendingApproval'];
  readonly timeZone: string;
}) {
  if (approval === null) return null;
  const requester = approval.requestedBy.name ?? `User ${approval.requestedBy.userId}`;
  const approvers = approval.approverRoles.map((role) => ROLE_LABELS[role]).join(' or ');
  return (
    <Alert title="Tier change waiting for approval" variant="info" testId="pending-approval">
      {requester} asked to move this account from {tierLabel(approval.fromTier)} to{' '}
      {tierLabel(approval.toTier)}
      {approval.reason === null ? '.' : `: “${approval.reason}”.`} {approvers} decide by{' '}
      {instantLabel(approval.dueAt, timeZone)}.
    </Alert>
  );
}

export function LastSync({
  lastSyncAt,
  timeZone,
}: {
  readonly lastSyncAt: string | null;
  readonly timeZone: string;
}) {
  return (
    <Text variant="microcopy" testId="last-sync">
      {lastSyncAt === null ? 'Not synced yet.' : `Last synced ${instantLabel(lastSyncAt, timeZone)}.`}
    </Text>
  );
}
