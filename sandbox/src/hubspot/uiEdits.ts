import { resolveObjectType } from './objectTypes.ts';
import type { Portal } from './portal.ts';
import { uniqueConflict, updateRecord, writeContext } from './portal.ts';
import { propertyIssuesFailure, validateWrite } from './propertyValues.ts';
import { toWireObject } from './serialize.ts';

// Edits made "in HubSpot" by a person rather than through the API: the sandbox-only stand-in for the
// record page. The change source is CRM_UI, and when a user is named (an owner's `userId`, the id a
// HubSpot login has) the property history carries them as `updatedByUserId` and `sourceId: userId:<id>`,
// as HubSpot records edits made in its UI.

export interface UiEditBody {
  readonly properties?: unknown;
  /** The HubSpot user making the edit; must be the `userId` of one of the portal's active owners. */
  readonly userId?: unknown;
}

/** The status and JSON body the admin route answers: the record after the edit, or why it was refused. */
export interface UiEditOutcome {
  readonly status: number;
  readonly body: unknown;
}

const refused = (status: number, message: string): UiEditOutcome => ({
  status,
  body: { status: 'error', message },
});

export const editInHubSpotUi = (
  portal: Portal,
  now: number,
  objectType: string,
  objectId: string,
  body: UiEditBody | undefined,
): UiEditOutcome => {
  const type = resolveObjectType(objectType);
  if (!type) return refused(400, `unknown object type ${objectType}`);
  const record = portal.data.tables[type].live(Number(objectId));
  if (!record) return refused(404, `no ${type} ${objectId}`);
  const userId = body?.userId;
  if (userId !== undefined) {
    if (typeof userId !== 'number' || !Number.isSafeInteger(userId) || userId <= 0) {
      return refused(400, 'userId must be a positive integer, the HubSpot user id of an owner');
    }
    if (!portal.data.owners.some((owner) => owner.userId === userId && !owner.archived)) {
      return refused(400, `user ${userId} is not a user of portal ${portal.portalId}'s owners`);
    }
  }
  const written = validateWrite(body?.properties, writeContext(portal, type));
  if (!written.ok) {
    const outcome = Array.isArray(written.error)
      ? propertyIssuesFailure(written.error, portal.portalId)
      : written.error;
    return { status: outcome.status, body: outcome.body };
  }
  const conflict = uniqueConflict(portal, type, written.value, record.id);
  if (conflict) return { status: conflict.status, body: conflict.body };
  updateRecord(portal, type, record, written.value, {
    now,
    changeSource: 'CRM_UI',
    ...(userId === undefined ? {} : { userId }),
  });
  return { status: 200, body: toWireObject(portal, type, record, { selection: { kind: 'all' } }) };
};
