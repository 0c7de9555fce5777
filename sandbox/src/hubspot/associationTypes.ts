import type { ObjectType } from './objectTypes.ts';

// HubSpot-defined association types between the emulated objects (ids from the official SDK's
// `AssociationTypes` enum). Each pair has an unlabeled type and sometimes a "Primary" one; every type has
// an inverse for the other direction, which HubSpot maintains alongside it.

export interface AssociationTypeDef {
  readonly typeId: number;
  readonly from: ObjectType;
  readonly to: ObjectType;
  readonly inverseTypeId: number;
  /** `Primary` for primary types, null for the unlabeled ones. */
  readonly label: string | null;
  /** Name used by the v3 object endpoints (`deal_to_company_unlabeled`). */
  readonly v3Name: string;
}

interface PairSpec {
  readonly from: ObjectType;
  readonly to: ObjectType;
  readonly unlabeled: readonly [number, number];
  readonly primary?: readonly [number, number];
}

const PAIRS: readonly PairSpec[] = [
  { from: 'contacts', to: 'companies', unlabeled: [279, 280], primary: [1, 2] },
  { from: 'deals', to: 'companies', unlabeled: [341, 342], primary: [5, 6] },
  { from: 'deals', to: 'contacts', unlabeled: [3, 4] },
  { from: 'tasks', to: 'companies', unlabeled: [192, 191] },
  { from: 'tasks', to: 'contacts', unlabeled: [204, 203] },
  { from: 'tasks', to: 'deals', unlabeled: [216, 215] },
  { from: 'meetings', to: 'companies', unlabeled: [188, 187] },
  { from: 'meetings', to: 'contacts', unlabeled: [200, 199] },
  { from: 'meetings', to: 'deals', unlabeled: [212, 211] },
  { from: 'calls', to: 'companies', unlabeled: [182, 181] },
  { from: 'calls', to: 'contacts', unlabeled: [194, 193] },
  { from: 'calls', to: 'deals', unlabeled: [206, 205] },
  { from: 'emails', to: 'companies', unlabeled: [186, 185] },
  { from: 'emails', to: 'contacts', unlabeled: [198, 197] },
  { from: 'emails', to: 'deals', unlabeled: [210, 209] },
];

const SINGULAR: Readonly<Record<ObjectType, string>> = {
  companies: 'company',
  contacts: 'contact',
  deals: 'deal',
  tasks: 'task',
  meetings: 'meeting',
  calls: 'call',
  emails: 'email',
};

const v3Name = (from: ObjectType, to: ObjectType, unlabeledOfPrimaryPair: boolean): string =>
  `${SINGULAR[from]}_to_${SINGULAR[to]}${unlabeledOfPrimaryPair ? '_unlabeled' : ''}`;

const definitions = (): AssociationTypeDef[] =>
  PAIRS.flatMap((pair) => {
    const hasPrimary = pair.primary !== undefined;
    const defs: AssociationTypeDef[] = [
      {
        typeId: pair.unlabeled[0],
        from: pair.from,
        to: pair.to,
        inverseTypeId: pair.unlabeled[1],
        label: null,
        v3Name: v3Name(pair.from, pair.to, hasPrimary),
      },
      {
        typeId: pair.unlabeled[1],
        from: pair.to,
        to: pair.from,
        inverseTypeId: pair.unlabeled[0],
        label: null,
        v3Name: v3Name(pair.to, pair.from, hasPrimary),
      },
    ];
    if (pair.primary) {
      defs.push(
        {
          typeId: pair.primary[0],
          from: pair.from,
          to: pair.to,
          inverseTypeId: pair.primary[1],
          label: 'Primary',
          v3Name: v3Name(pair.from, pair.to, false),
        },
        {
          typeId: pair.primary[1],
          from: pair.to,
          to: pair.from,
          inverseTypeId: pair.primary[0],
          label: 'Primary',
          v3Name: v3Name(pair.to, pair.from, false),
        },
      );
    }
    return defs;
  });

const BY_ID: ReadonlyMap<number, AssociationTypeDef> = new Map(definitions().map((def) => [def.typeId, def]));

export const associationTypeById = (typeId: number): AssociationTypeDef | null => BY_ID.get(typeId) ?? null;

/** The unlabeled type from one object type to another, or null when HubSpot defines none here. */
export const unlabeledTypeId = (from: ObjectType, to: ObjectType): number | null => {
  for (const def of BY_ID.values()) {
    if (def.from === from && def.to === to && def.label === null) return def.typeId;
  }
  return null;
};

/** The primary type from one object type to another, when the pair has one. */
export const primaryTypeId = (from: ObjectType, to: ObjectType): number | null => {
  for (const def of BY_ID.values()) {
    if (def.from === from && def.to === to && def.label !== null) return def.typeId;
  }
  return null;
};

/** Every HubSpot-defined type from one object type to another, primary first. */
export const associationTypesBetween = (from: ObjectType, to: ObjectType): AssociationTypeDef[] =>
  [...BY_ID.values()]
    .filter((def) => def.from === from && def.to === to)
    .sort((a, b) => (a.label === null ? 1 : 0) - (b.label === null ? 1 : 0));
