import type { DomainError, HandoverResponse, Result, Role, SlaInstance } from '@abm-pilot/shared';
import { err, handoverEvents, instantToIso, ok, slaInstanceToView } from '@abm-pilot/shared';

import type { AccountContext, Store } from '../store/ports.ts';
import type { Person } from './rules.ts';
import {
  calendarOf,
  clockStartOf,
  fingerprintOf,
  governanceConfigOf,
  loadAccount,
  withSlaEvents,
} from './rules.ts';

// A marketer hands a targeted account over to sales from the card, as becoming marketing-qualified does on
// its own: the owner owes a first touch and an answer to the handover, so both clocks start, in one
// transaction. The SLA tasks follow from the clocks at the next run.

/** Marketing's side of the programme hands accounts over; sales answers them. */
export const HANDOVER_ROLES: readonly Role[] = [
  'chief_abm_officer',
  'abm_committee',
  'abm_manager',
  'marketer',
];

export interface HandoverInput {
  readonly tenantId: string;
  readonly accountCrmId: string;
  readonly person: Person;
  readonly idempotencyKey: string;
}

export type HandoverError = DomainError<
  | 'not_found'
  | 'not_allowed_for_role'
  | 'not_targeted'
  | 'no_account_owner'
  | 'handover_pending'
  | 'conflict'
  | 'idempotency_key_reused'
>;

/** Why the account cannot be handed over now by this person; `null` when it can. */
export function handoverRefusal(
  context: {
    readonly account: Pick<AccountContext['account'], 'ownerCrmId'>;
    readonly state: Pick<AccountContext['state'], 'assignedTier'>;
    readonly slaInstances: readonly SlaInstance[];
  },
  person: Person,
  now: number,
): HandoverError | null {
  if (!person.roles.some((role) => HANDOVER_ROLES.includes(role)))
    return { code: 'not_allowed_for_role', message: 'Only marketing hands accounts over to sales.' };
  if (context.state.assignedTier === null)
    return { code: 'not_targeted', message: 'Only a targeted account is handed over.' };
  if (context.account.ownerCrmId === null)
    return { code: 'no_account_owner', message: 'The account has no owner to hand it over to.' };
  if (context.slaInstances.some((instance) => instance.kind === 'sales_feedback' && isRunning(instance, now)))
    return { code: 'handover_pending', message: 'The account was handed over and awaits an answer.' };
  return null;
}

const KEY_REUSED = {
  code: 'idempotency_key_reused',
  message: 'This idempotency key was used for a different request.',
} as const;

const isRunning = (instance: SlaInstance, now: number): boolean =>
  instance.stoppedAt === null || instance.stoppedAt > now;

export async function handOver(
  deps: { readonly store: Store; readonly clock: () => number },
  input: HandoverInput,
): Promise<Result<HandoverResponse, HandoverError>> {
  const { store } = deps;
  const now = deps.clock();
  const fingerprint = fingerprintOf('handover', input.accountCrmId, input.person.userId);
  // A retry of a handover that went through gets its answer again, not "already handed over".
  const remembered = await store.recallResponse(input.tenantId, input.idempotencyKey, now);
  if (remembered !== null) {
    return remembered.fingerprint === fingerprint
      ? ok(remembered.response.body as HandoverResponse)
      : err(KEY_REUSED);
  }
  const account = await loadAccount(store, input.tenantId, input.accountCrmId, now);
  if (account === null) return err({ code: 'not_found', message: 'No such account.' });
  const refusal = handoverRefusal(account, input.person, now);
  if (refusal !== null) return err(refusal);
  const config = await governanceConfigOf(store, input.tenantId);
  const start = clockStartOf(account, now);
  const tier = account.state.assignedTier;
  const started =
    start === null || tier === null
      ? account.slaInstances
      : withSlaEvents(
          account.slaInstances,
          handoverEvents({ ...start, tier }),
          config,
          calendarOf(config, account.owner),
        );
  const response: HandoverResponse = {
    handedOverAt: instantToIso(now),
    slas: started
      .filter((instance) => instance.kind !== 'approval_decision' && isRunning(instance, now))
      .map((instance) => slaInstanceToView(instance, now)),
  };
  const recorded = await store.recordHandover(input.tenantId, {
    accountCrmId: input.accountCrmId,
    basedOnRevision: account.state.revision,
    slaInstances: started,
    idempotency: {
      key: input.idempotencyKey,
      fingerprint,
      response: { status: 200, body: response },
      now,
    },
  });
  if (!recorded.ok) {
    return recorded.error.code === 'idempotency_key_reused'
      ? err(KEY_REUSED)
      : err({ code: 'conflict', message: 'The account changed meanwhile; hand it over again.' });
  }
  return ok((recorded.value.replayed?.response.body as HandoverResponse | undefined) ?? response);
}
