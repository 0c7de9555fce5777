import { z } from 'zod';

// The shapes of the HubSpot answers this connector reads, parsed at the edge. Objects keep only what the
// mapping uses; unknown keys are dropped, so HubSpot adding fields never breaks a sync.

const PagingSchema = z.object({ next: z.object({ after: z.string() }).optional() }).optional();

const AssociationListSchema = z.object({
  results: z.array(z.object({ id: z.coerce.string(), type: z.string() })),
});

export const HubSpotObjectSchema = z.object({
  id: z.string(),
  properties: z.record(z.string(), z.string().nullable()),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  archivedAt: z.string().optional(),
  associations: z.record(z.string(), AssociationListSchema).optional(),
});
export type HubSpotObject = z.infer<typeof HubSpotObjectSchema>;

export const ObjectPageSchema = z.object({
  results: z.array(HubSpotObjectSchema),
  paging: PagingSchema,
});
export type ObjectPage = z.infer<typeof ObjectPageSchema>;

export const SearchPageSchema = z.object({
  total: z.number().optional(),
  results: z.array(HubSpotObjectSchema),
  paging: PagingSchema,
});
export type SearchPage = z.infer<typeof SearchPageSchema>;

export const BatchErrorSchema = z.object({
  status: z.string().optional(),
  category: z.string().optional(),
  message: z.string().optional(),
  context: z.record(z.string(), z.array(z.coerce.string())).optional(),
});
export type BatchError = z.infer<typeof BatchErrorSchema>;

export const BatchObjectsSchema = z.object({
  status: z.string().optional(),
  results: z.array(HubSpotObjectSchema.extend({ new: z.boolean().optional() })),
  errors: z.array(BatchErrorSchema).optional(),
});
export type BatchObjects = z.infer<typeof BatchObjectsSchema>;

export const AssociationBatchReadSchema = z.object({
  results: z.array(
    z.object({
      from: z.object({ id: z.coerce.string() }),
      to: z.array(
        z.object({
          toObjectId: z.coerce.string(),
          associationTypes: z
            .array(z.object({ typeId: z.number().optional(), label: z.string().nullable().optional() }))
            .optional(),
        }),
      ),
    }),
  ),
  errors: z.array(BatchErrorSchema).optional(),
});
export type AssociationBatchRead = z.infer<typeof AssociationBatchReadSchema>;

export const AssociationBatchCreateSchema = z.object({
  errors: z.array(BatchErrorSchema).optional(),
});

export const OwnerSchema = z.object({
  id: z.coerce.string(),
  email: z.string().nullable().optional(),
  firstName: z.string().nullable().optional(),
  lastName: z.string().nullable().optional(),
  archived: z.boolean().optional(),
  updatedAt: z.string().optional(),
  userId: z.coerce.string().nullable().optional(),
  userIdIncludingInactive: z.coerce.string().nullable().optional(),
  teams: z
    .array(z.object({ id: z.coerce.string(), name: z.string(), primary: z.boolean().optional() }))
    .optional(),
});
export type HubSpotOwner = z.infer<typeof OwnerSchema>;

export const OwnerPageSchema = z.object({ results: z.array(OwnerSchema), paging: PagingSchema });

export const PropertyListSchema = z.object({
  results: z.array(
    z.object({
      name: z.string(),
      type: z.string().optional(),
      hasUniqueValue: z.boolean().optional(),
      archived: z.boolean().optional(),
    }),
  ),
});

export const GroupListSchema = z.object({
  results: z.array(z.object({ name: z.string(), archived: z.boolean().optional() })),
});

export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.number().positive(),
  hub_id: z.coerce.string().optional(),
});

/** HubSpot's error body; every field may be missing (proxies and injected faults answer bare JSON). */
export const ErrorBodySchema = z
  .object({
    message: z.string().optional(),
    category: z.string().optional(),
    policyName: z.string().optional(),
    errors: z
      .array(
        z.object({
          code: z.string().optional(),
          message: z.string().optional(),
        }),
      )
      .optional(),
  })
  .catch({});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
