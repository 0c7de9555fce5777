import type { AccountCardResponse } from '@abm-pilot/hubspot-abm-client';
import { AXES, fill, sentences, useI18n } from '@abm-pilot/hubspot-abm-client';
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

// The read-only parts of the company card, each a plain function of the card view.

type Card = AccountCardResponse;

const TIER_TAG = { tier_1: 'success', tier_2: 'info', tier_3: 'default' } as const;

/** `StatusTag` variants, as HubSpot's own cards colour health. */
const SLA_TAG = { on_track: 'success', at_risk: 'warning', breached: 'danger', met: 'info' } as const;

export function TierSection({ tier }: { readonly tier: Card['tier'] }) {
  const { messages, words, format } = useI18n();
  const text = messages.card.tier;
  const { assigned, recommended, drift } = tier;
  return (
    <Flex direction="column" gap="xs" testId="tier">
      <Flex direction="row" gap="sm" align="center">
        <Heading inline>{text.heading}</Heading>
        <StatusTag variant={assigned === null ? 'default' : TIER_TAG[assigned]} hollow={assigned === null}>
          {words.tier(assigned)}
        </StatusTag>
      </Flex>
      <Text>
        {fill(text.recommended, { tier: recommended === null ? text.noTier : words.tier(recommended) })}
        {drift.direction !== 'none' && drift.steps > 0 && (
          <Tag variant="warning" inline testId="drift">
            {format.count(text.drift[drift.direction], drift.steps)}
          </Tag>
        )}
      </Text>
    </Flex>
  );
}

export function ScoreSection({ score }: { readonly score: Card['score'] }) {
  const { messages, vocabulary, format } = useI18n();
  const text = messages.card.score;
  if (score === null) return <Text testId="score">{text.notScored}</Text>;
  const withoutData = [
    ...score.missing.map((criterion) => vocabulary.criterion[criterion]),
    ...(score.missingSignals ?? []).map((signal) => vocabulary.signal[signal]),
  ];
  return (
    <Flex direction="column" gap="xs" testId="score">
      <Statistics>
        <StatisticsItem label={text.value} number={format.decimal(score.value)} testId="score-value" />
        {AXES.map((axis) => (
          <StatisticsItem
            key={axis}
            label={vocabulary.axis[axis]}
            number={format.decimal(score.axes[axis])}
          />
        ))}
      </Statistics>
      {score.topReasons.length > 0 && (
        <>
          <Text format={{ fontWeight: 'demibold' }}>{text.topReasons}</Text>
          <List variant="unordered-styled" testId="top-reasons">
            {score.topReasons.map((reason) => (
              <Text key={reason.criterion}>
                {fill(text.reason, {
                  criterion: vocabulary.criterion[reason.criterion],
                  points: format.decimal(reason.points),
                  maxPoints: format.decimal(reason.maxPoints),
                })}
              </Text>
            ))}
          </List>
        </>
      )}
      {withoutData.length > 0 && (
        <Text variant="microcopy" testId="score-missing">
          {fill(text.missing, { criteria: withoutData.join(', ') })}
        </Text>
      )}
    </Flex>
  );
}

export function SlaSection({ slas, now }: { readonly slas: Card['slas']; readonly now: number }) {
  const { messages, vocabulary, format } = useI18n();
  const text = messages.card.sla;
  if (slas.length === 0) return <Text testId="slas">{text.none}</Text>;
  return (
    <Table bordered={false} density="condensed" testId="slas">
      <TableHead>
        <TableRow>
          <TableHeader>{text.column.sla}</TableHeader>
          <TableHeader>{text.column.status}</TableHeader>
          <TableHeader>{text.column.time}</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {slas.map((sla) => (
          <TableRow key={sla.key}>
            <TableCell>{vocabulary.slaKind[sla.kind]}</TableCell>
            <TableCell>
              <StatusTag variant={SLA_TAG[sla.status]}>{vocabulary.slaStatus[sla.status]}</StatusTag>
            </TableCell>
            <TableCell>
              {sla.stoppedAt === null
                ? format.timeLeft(sla.dueAt, now)
                : fill(text.stopped, { instant: format.instant(sla.stoppedAt) })}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function OwnersSection({ owners }: { readonly owners: Card['owners'] }) {
  const { messages, vocabulary, words } = useI18n();
  if (owners.length === 0) return <Text testId="owners">{messages.card.owners.none}</Text>;
  return (
    <DescriptionList direction="row" testId="owners">
      {owners.map((owner) => (
        <DescriptionListItem
          key={`${owner.role}:${owner.userId}`}
          label={vocabulary.ownershipRole[owner.role]}
        >
          <Text>
            {fill(messages.common.personWithRoles, {
              person: words.person(owner),
              roles: words.roles(owner.governanceRoles),
            })}
          </Text>
        </DescriptionListItem>
      ))}
    </DescriptionList>
  );
}

/** Where the account's portfolio review stands; nothing for an untargeted account or an older server. */
export function ReviewSection({ review }: { readonly review: Card['review'] }) {
  const { messages, vocabulary, words, format } = useI18n();
  if (review === undefined || review === null) return null;
  const text = vocabulary.review;
  return (
    <Flex direction="column" gap="xs" testId="review">
      <Flex direction="row" gap="sm" align="center">
        <Text format={{ fontWeight: 'demibold' }}>{text.heading}</Text>
        {review.overdue && (
          <StatusTag variant="danger" testId="review-overdue">
            {text.overdueTag}
          </StatusTag>
        )}
      </Flex>
      <Text testId="review-last">
        {review.lastReviewedAt === null
          ? text.neverReviewed
          : fill(text.lastReviewed, {
              instant: format.instant(review.lastReviewedAt),
              person: review.lastReviewedBy ? words.person(review.lastReviewedBy) : messages.common.nothing,
            })}
      </Text>
      <Text testId="review-due">
        {fill(review.overdue ? text.overdue : text.nextDue, { instant: format.instant(review.nextDueAt) })}
      </Text>
    </Flex>
  );
}

export function PendingApprovalSection({ approval }: { readonly approval: Card['pendingApproval'] }) {
  const { messages, words, format } = useI18n();
  if (approval === null) return null;
  const text = messages.card.pendingApproval;
  const request = {
    requester: words.person(approval.requestedBy),
    from: words.tier(approval.fromTier),
    to: words.tier(approval.toTier),
  };
  return (
    <Alert title={text.title} variant="info" testId="pending-approval">
      {sentences(
        approval.reason === null
          ? fill(text.request, request)
          : fill(text.requestWithReason, { ...request, reason: approval.reason }),
        fill(text.decideBy, {
          approvers: words.approvers(approval.approverRoles),
          due: format.instant(approval.dueAt),
        }),
      )}
    </Alert>
  );
}

export function LastSync({ lastSyncAt }: { readonly lastSyncAt: string | null }) {
  const { messages, format } = useI18n();
  const text = messages.card.lastSync;
  return (
    <Text variant="microcopy" testId="last-sync">
      {lastSyncAt === null ? text.never : fill(text.at, { instant: format.instant(lastSyncAt) })}
    </Text>
  );
}
