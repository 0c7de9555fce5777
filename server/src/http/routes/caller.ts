import type { Actor } from '@abm-pilot/shared';

import type { Store } from '../../store/ports.ts';
import { governanceConfigOf } from '../../usecases/rules.ts';

// What several routes need of the caller and the tenant beyond the use cases.

export const configOf = governanceConfigOf;

/** Display names of the people behind `actors`, as synced from the CRM. */
export async function namesOf(
  store: Store,
  tenantId: string,
  actors: readonly (Actor | null)[],
): Promise<(userId: string) => string | null> {
  const people = await store.people(
    tenantId,
    actors.flatMap((actor) => (actor === null ? [] : [actor.userId])),
  );
  return (userId) => people.get(userId)?.name ?? null;
}
