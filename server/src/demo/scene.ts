import type { SeededHistory } from '../usecases/seedDemoHistory.ts';
import { seedDemoHistory } from '../usecases/seedDemoHistory.ts';
import type { CrmName } from './crms.ts';
import type { StoryAccount } from './slaStory.ts';
import { followUpRunningClocks, pickStoryAccount } from './slaStory.ts';
import type { DemoWorld } from './world.ts';

// What the demo sets up between ABM Pilot's first sync and the SLA story, in each CRM: the account the
// story follows is chosen first, so that the first sync's follow-ups and the year of history leave it out;
// the owners follow up on the clocks the first sync started; a year of history is recorded.

export interface Scene {
  /** HubSpot's, then Salesforce's. */
  readonly stories: readonly StoryAccount[];
  /** Calls the owners logged on accounts whose clock the first sync started. */
  readonly followUps: Readonly<Record<CrmName, number>>;
  readonly history: Readonly<Record<CrmName, SeededHistory>>;
}

export const CRMS: readonly CrmName[] = ['hubspot', 'salesforce'];

export async function setTheScene(world: DemoWorld, seed: number): Promise<Scene> {
  const stories: StoryAccount[] = [];
  const followUps: Partial<Record<CrmName, number>> = {};
  const history: Partial<Record<CrmName, SeededHistory>> = {};
  for (const crm of CRMS) {
    const tenant = world.tenants[crm];
    const story = await pickStoryAccount(world, tenant);
    const except = new Set([story.accountId]);
    stories.push(story);
    followUps[crm] = await followUpRunningClocks(world, tenant, except);
    history[crm] = await seedDemoHistory(
      { store: world.abm.store, clock: world.time.now },
      { tenantId: tenant.tenant.id, seed, exclude: except },
    );
  }
  return {
    stories,
    followUps: followUps as Record<CrmName, number>,
    history: history as Record<CrmName, SeededHistory>,
  };
}
