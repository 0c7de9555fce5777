import type { Request, Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';

import { booleanParam, crmLocals, isObjectType, objectTypeParam, sendFailure } from './http.ts';
import type { ObjectType } from './objectTypes.ts';
import { OBJECT_TYPE_INFO } from './objectTypes.ts';
import type { PropertyDefinition, PropertyGroup } from './propertyCatalog.ts';
import { FieldTypeSchema, PropertyTypeSchema, groupToWire, propertyToWire } from './propertyCatalog.ts';
import type { HubSpotFailure } from './wire.ts';
import { failure, invalidInputJson, isHubSpotFailure, validationFailure } from './wire.ts';

// CRM v3 Properties API: definitions and groups per object type, per portal.

const OptionInputSchema = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.int().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});

const PropertyCreateSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string(),
  description: z.string().optional(),
  options: z.array(OptionInputSchema).optional(),
  displayOrder: z.int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  externalOptions: z.boolean().optional(),
});

const PropertyUpdateSchema = PropertyCreateSchema.omit({ name: true, hasUniqueValue: true }).partial();

const GroupCreateSchema = z.object({ name: z.string(), label: z.string(), displayOrder: z.int().optional() });
const GroupUpdateSchema = GroupCreateSchema.omit({ name: true }).partial();

const REQUIRED_PROPERTY_FIELDS = ['name', 'label', 'type', 'fieldType', 'groupName'] as const;
const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/;

const enumFailure = (className: string, value: string, accepted: readonly string[]): HubSpotFailure =>
  invalidInputJson(
    1,
    `Cannot deserialize value of type \`${className}\` from String "${value}": not one of the values accepted for Enum class: [${accepted.join(', ')}]`,
  );

/** Jackson-style failures first (missing fields, unknown enum values), then HubSpot's own rules. */
const checkCreate = (body: unknown): z.infer<typeof PropertyCreateSchema> | HubSpotFailure => {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const missing = REQUIRED_PROPERTY_FIELDS.filter(
    (name) => typeof fields[name] !== 'string' || fields[name] === '',
  );
  if (missing.length > 0) {
    return invalidInputJson(
      1,
      `Cannot build PropertyCreate, some of required attributes are not set [${missing.join(', ')}]`,
    );
  }
  const parsed = PropertyCreateSchema.safeParse(body);
  if (!parsed.success) return validationFailure(parsed.error.issues.map((issue) => issue.message).join('; '));
  const { type, fieldType } = parsed.data;
  if (!PropertyTypeSchema.safeParse(type).success) {
    return enumFailure(
      'com.hubspot.inbounddb.publicobject.core.v3.properties.PropertyType',
      type,
      PropertyTypeSchema.options,
    );
  }
  if (!FieldTypeSchema.safeParse(fieldType).success) {
    return enumFailure(
      'com.hubspot.inbounddb.publicobject.core.v3.properties.FieldType',
      fieldType,
      FieldTypeSchema.options,
    );
  }
  return parsed.data;
};

const boolOptionsValid = (options: readonly { value: string }[] | undefined): boolean =>
  options !== undefined &&
  options.length === 2 &&
  options.some((entry) => entry.value === 'true') &&
  options.some((entry) => entry.value === 'false');

export const propertyRoutes = (now: () => number): Router => {
  const router = Router();

  const typeOf = (req: Request, res: Response): ObjectType | undefined => {
    const type = objectTypeParam(String(req.params.objectType));
    if (isObjectType(type)) return type;
    sendFailure(res, type);
    return undefined;
  };

  const groupNotFound = (name: string) =>
    failure(404, `Unable to find property group with name: ${name}`, { category: 'OBJECT_NOT_FOUND' });
  const propertyNotFound = (name: string, type: ObjectType) =>
    failure(
      404,
      `Unable to find property with name: ${name} for object type: ${OBJECT_TYPE_INFO[type].objectTypeId}`,
      {
        category: 'OBJECT_NOT_FOUND',
      },
    );

  router.get('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const groups = [...crmLocals(res).portal.data.groups[type].values()].filter((group) => !group.archived);
    res.json({ results: groups.map(groupToWire) });
  });

  router.post('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const parsed = GroupCreateSchema.safeParse(req.body);
    if (!parsed.success) {
      return sendFailure(
        res,
        invalidInputJson(
          1,
          'Cannot build PropertyGroupCreate, some of required attributes are not set [name, label]',
        ),
      );
    }
    const groups = crmLocals(res).portal.data.groups[type];
    const existing = groups.get(parsed.data.name);
    if (existing && !existing.archived) {
      return sendFailure(
        res,
        failure(409, `A property group named '${parsed.data.name}' already exists.`, {
          category: 'OBJECT_ALREADY_EXISTS',
        }),
      );
    }
    const group: PropertyGroup = {
      name: parsed.data.name,
      label: parsed.data.label,
      displayOrder: parsed.data.displayOrder ?? -1,
      archived: false,
    };
    groups.set(group.name, group);
    res.status(201).json(groupToWire(group));
  });

  router.get('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const group = crmLocals(res).portal.data.groups[type].get(req.params.groupName);
    if (!group || group.archived) return sendFailure(res, groupNotFound(req.params.groupName));
    res.json(groupToWire(group));
  });

  router.patch('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const groups = crmLocals(res).portal.data.groups[type];
    const group = groups.get(req.params.groupName);
    if (!group || group.archived) return sendFailure(res, groupNotFound(req.params.groupName));
    const parsed = GroupUpdateSchema.safeParse(req.body ?? {});
    if (!parsed.success) return sendFailure(res, validationFailure('Invalid property group update'));
    const updated: PropertyGroup = {
      ...group,
      ...(parsed.data.label === undefined ? {} : { label: parsed.data.label }),
      ...(parsed.data.displayOrder === undefined ? {} : { displayOrder: parsed.data.displayOrder }),
    };
    groups.set(updated.name, updated);
    res.json(groupToWire(updated));
  });

  router.delete('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const groups = crmLocals(res).portal.data.groups[type];
    const group = groups.get(req.params.groupName);
    if (group) groups.set(group.name, { ...group, archived: true });
    res.status(204).end();
  });

  router.get('/crm/v3/properties/:objectType', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const archived = booleanParam(req.query.archived);
    const definitions = [...crmLocals(res).portal.data.properties[type].values()].filter(
      (definition) => definition.archived === archived,
    );
    res.json({ results: definitions.map(propertyToWire) });
  });

  router.post('/crm/v3/properties/:objectType', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const checked = checkCreate(req.body);
    if (isHubSpotFailure(checked)) return sendFailure(res, checked);
    const definitions = portal.data.properties[type];
    const existing = definitions.get(checked.name);
    if (existing && !existing.archived) {
      return sendFailure(
        res,
        failure(409, `Property named '${checked.name}' already exists.`, {
          category: 'OBJECT_ALREADY_EXISTS',
        }),
      );
    }
    if (!PROPERTY_NAME.test(checked.name)) {
      return sendFailure(
        res,
        validationFailure(
          `Property name '${checked.name}' is invalid: use lower-case letters, digits and underscores, starting with a letter`,
        ),
      );
    }
    const group = portal.data.groups[type].get(checked.groupName);
    if (!group || group.archived) {
      return sendFailure(res, validationFailure(`Property group ${checked.groupName} does not exist`));
    }
    const propertyType = PropertyTypeSchema.parse(checked.type);
    if (propertyType === 'bool' && !boolOptionsValid(checked.options)) {
      return sendFailure(
        res,
        validationFailure(
          "Boolean properties must have exactly two options; one with a value of 'true', the other with a value of 'false'.",
        ),
      );
    }
    const at = now();
    const definition: PropertyDefinition = {
      name: checked.name,
      label: checked.label,
      type: propertyType,
      fieldType: FieldTypeSchema.parse(checked.fieldType),
      groupName: checked.groupName,
      description: checked.description ?? '',
      options: (checked.options ?? []).map((entry, index) => ({
        label: entry.label,
        value: entry.value,
        displayOrder: entry.displayOrder ?? index,
        hidden: entry.hidden ?? false,
        ...(entry.description === undefined ? {} : { description: entry.description }),
      })),
      displayOrder: checked.displayOrder ?? -1,
      hasUniqueValue: checked.hasUniqueValue ?? false,
      hidden: checked.hidden ?? false,
      formField: checked.formField ?? false,
      calculated: false,
      externalOptions: checked.externalOptions ?? false,
      hubspotDefined: false,
      readOnlyValue: false,
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    definitions.set(definition.name, definition);
    if (definition.hasUniqueValue) portal.data.tables[type].addUniqueIndex(definition.name);
    res.status(201).json(propertyToWire(definition));
  });

  router.get('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const definition = crmLocals(res).portal.data.properties[type].get(req.params.propertyName);
    if (!definition || definition.archived !== booleanParam(req.query.archived)) {
      return sendFailure(res, propertyNotFound(req.params.propertyName, type));
    }
    res.json(propertyToWire(definition));
  });

  router.patch('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const { portal } = crmLocals(res);
    const definitions = portal.data.properties[type];
    const definition = definitions.get(req.params.propertyName);
    if (!definition || definition.archived)
      return sendFailure(res, propertyNotFound(req.params.propertyName, type));
    const parsed = PropertyUpdateSchema.safeParse(req.body ?? {});
    if (!parsed.success)
      return sendFailure(
        res,
        validationFailure(parsed.error.issues.map((issue) => issue.message).join('; ')),
      );
    const changes = parsed.data;
    if (changes.groupName !== undefined && !portal.data.groups[type].get(changes.groupName)) {
      return sendFailure(res, validationFailure(`Property group ${changes.groupName} does not exist`));
    }
    if (changes.type !== undefined && changes.type !== definition.type && definition.hubspotDefined) {
      return sendFailure(
        res,
        validationFailure(`Cannot change the type of HubSpot-defined property ${definition.name}`),
      );
    }
    const propertyType = PropertyTypeSchema.safeParse(changes.type ?? definition.type);
    if (!propertyType.success) {
      return sendFailure(res, enumFailure('PropertyType', String(changes.type), PropertyTypeSchema.options));
    }
    const fieldType = FieldTypeSchema.safeParse(changes.fieldType ?? definition.fieldType);
    if (!fieldType.success) {
      return sendFailure(res, enumFailure('FieldType', String(changes.fieldType), FieldTypeSchema.options));
    }
    const updated: PropertyDefinition = {
      ...definition,
      type: propertyType.data,
      fieldType: fieldType.data,
      ...(changes.label === undefined ? {} : { label: changes.label }),
      ...(changes.groupName === undefined ? {} : { groupName: changes.groupName }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.displayOrder === undefined ? {} : { displayOrder: changes.displayOrder }),
      ...(changes.hidden === undefined ? {} : { hidden: changes.hidden }),
      ...(changes.formField === undefined ? {} : { formField: changes.formField }),
      ...(changes.options === undefined
        ? {}
        : {
            options: changes.options.map((entry, index) => ({
              label: entry.label,
              value: entry.value,
              displayOrder: entry.displayOrder ?? index,
              hidden: entry.hidden ?? false,
            })),
          }),
      updatedAt: now(),
    };
    definitions.set(updated.name, updated);
    res.json(propertyToWire(updated));
  });

  router.delete('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = typeOf(req, res);
    if (!type) return;
    const definitions = crmLocals(res).portal.data.properties[type];
    const definition = definitions.get(req.params.propertyName);
    if (!definition || definition.archived)
      return sendFailure(res, propertyNotFound(req.params.propertyName, type));
    if (definition.hubspotDefined) {
      return sendFailure(
        res,
        validationFailure(`${definition.name} is a HubSpot-defined property and cannot be archived`),
      );
    }
    const at = now();
    definitions.set(definition.name, { ...definition, archived: true, archivedAt: at, updatedAt: at });
    res.status(204).end();
  });

  return router;
};
