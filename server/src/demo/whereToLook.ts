import type { StoryAccount } from './slaStory.ts';
import type { DemoWorld } from './world.ts';

// What the demo prints once its story is told: where each part runs and the keys to it, in both tenants.
// HubSpot signs its card calls and a signature lasts five minutes, so for HubSpot the demo prints the
// command that signs when it runs (`abm-pilot sign-hubspot`), not a curl that would be stale by then.

/** The arguments of `abm-pilot sign-hubspot` that call the card of `story`'s account as its owner. */
export function signedCardArgs(world: DemoWorld, story: StoryAccount): string[] {
  const hubspot = world.sandbox.hubspot!;
  return [
    'sign-hubspot',
    '--url',
    `${world.abm.url}/api/v1/accounts/${story.accountId}/card`,
    ...(world.publicUrl === world.abm.url ? [] : ['--public-url', world.publicUrl]),
    '--portal',
    String(hubspot.portalId),
    '--user',
    story.owner.signInId,
    '--send',
  ];
}

export function whereToLookLines(
  world: DemoWorld,
  stories: readonly StoryAccount[],
  dbPath: string,
): string[] {
  const { abm, sandbox, tenants } = world;
  const hubspot = sandbox.hubspot!;
  const salesforce = sandbox.salesforce!;
  const lines = [
    'Where to look:',
    `  Web console         ${abm.url}/console/`,
    '    log in with a token of each tenant and switch between them in the header:',
  ];
  for (const { crm, console: tokens, people } of [tenants.salesforce, tenants.hubspot]) {
    lines.push(
      `    ${crm.label.padEnd(10)} admin token  ${tokens.adminToken}  (acts as ${people.chief.name}, Chief ABM Officer)`,
      `    ${''.padEnd(10)} viewer token ${tokens.viewerToken}  (reads only, as ${people.committee.name})`,
    );
  }
  lines.push(
    `  ABM Pilot API       ${abm.url}/api/v1   (OpenAPI: ${abm.url}/api/v1/openapi.json, metrics: ${abm.url}/metrics)`,
    `  Salesforce org key  ${world.orgKey}`,
  );
  for (const story of stories) {
    lines.push(
      `  ${story.tenant.crm.label} record and tasks of the SLA story:`,
      `    ${story.tenant.crm.curlOf(story.accountId)}`,
    );
  }
  const hubspotStory = stories.find((story) => story.tenant.crm.crm === 'hubspot');
  if (hubspotStory) {
    lines.push(
      `  HubSpot card of the SLA story, as ${hubspotStory.owner.name} sees it: signed as HubSpot's proxy signs it, when you run it`,
      `  (without --send it prints the curl, valid five minutes):`,
      `    HUBSPOT_APP_CLIENT_SECRET=${hubspot.oauthClientSecret} npm run -s abm-pilot -- ${signedCardArgs(world, hubspotStory).join(' ')}`,
    );
  }
  lines.push(
    `  HubSpot sandbox     ${hubspot.url}   token ${hubspot.privateAppToken}`,
    `  Salesforce sandbox  ${salesforce.url}   client ${salesforce.clientId} / ${salesforce.clientSecret}`,
    `  SQLite store        ${dbPath}`,
    '  The clock keeps running; syncs and SLA sweeps go on. Ctrl-C stops the demo.',
  );
  return lines;
}
