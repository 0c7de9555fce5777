import type { Result } from '@abm-pilot/shared';
import { err, ok } from '@abm-pilot/shared';

import type { PropertyDefinition } from './propertyCatalog.ts';
import type { HubSpotFailure } from './wire.ts';
import { formatDate, formatInstant, invalidInputJson, parseInstant, validationFailure } from './wire.ts';

// Validation and normalisation of property writes, with HubSpot's error codes. Values are stored in
// their wire form (strings), so reads never convert; a cleared value is stored as absent.

export type PropertyIssueCode =
  | 'PROPERTY_DOESNT_EXIST'
  | 'READ_ONLY_VALUE'
  | 'INVALID_OPTION'
  | 'INVALID_OWNER_ID'
  | 'INVALID_DECIMAL'
  | 'INVALID_BOOLEAN'
  | 'INVALID_LONG'
  | 'INVALID_DATE'
  | 'INVALID_EMAIL'
  | 'MISSING_REQUIRED_PROPERTY';

export interface PropertyIssue {
  readonly name: string;
  readonly error: PropertyIssueCode;
  readonly message: string;
}

/** A validated write: the value to store per property, `null` to clear it. */
export type PropertyWrite = ReadonlyMap<string, string | null>;

export interface WriteContext {
  readonly definitions: ReadonlyMap<string, PropertyDefinition>;
  readonly ownerExists: (ownerId: string) => boolean;
  /** Loads and internal writes may set read-only values such as `createdate` of engagements. */
  readonly allowReadOnly?: boolean;
}

const issue = (name: string, error: PropertyIssueCode, message: string): PropertyIssue => ({
  name,
  error,
  message,
});

/** HubSpot prints the allowed options as protobuf text, one option after the other. */
const describeOptions = (definition: PropertyDefinition): string =>
  `[${definition.options
    .map(
      (entry) =>
        `label: "${entry.label}"\nvalue: "${entry.value}"\ndisplay_order: ${entry.displayOrder}\nhidden: ${entry.hidden}\nread_only: false\n`,
    )
    .join(', ')}]`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const normaliseValue = (
  definition: PropertyDefinition,
  raw: string,
  context: WriteContext,
): Result<string, PropertyIssue> => {
  const { name } = definition;
  switch (definition.type) {
    case 'string':
      if (name === 'email' && !EMAIL.test(raw)) {
        return err(issue(name, 'INVALID_EMAIL', `Email address ${raw} is invalid`));
      }
      return ok(raw);
    case 'number': {
      const text = raw.trim();
      if (text === '' || !Number.isFinite(Number(text))) {
        return err(issue(name, 'INVALID_DECIMAL', `${raw} was not a valid number.`));
      }
      return ok(text);
    }
    case 'bool': {
      const text = raw.trim().toLowerCase();
      if (text !== 'true' && text !== 'false') {
        return err(issue(name, 'INVALID_BOOLEAN', `${raw} was not a valid boolean.`));
      }
      return ok(text);
    }
    case 'datetime': {
      const instant = parseInstant(raw);
      if (instant === null) return err(issue(name, 'INVALID_LONG', `${raw} was not a valid long.`));
      return ok(formatInstant(instant));
    }
    case 'date': {
      const instant = parseInstant(raw);
      if (instant === null) return err(issue(name, 'INVALID_LONG', `${raw} was not a valid long.`));
      const intoDay = ((instant % 86_400_000) + 86_400_000) % 86_400_000;
      if (intoDay !== 0) {
        const time = new Date(instant).toISOString().slice(11, 23);
        return err(issue(name, 'INVALID_DATE', `${raw} is at ${time} UTC, not midnight!`));
      }
      return ok(formatDate(instant));
    }
    case 'enumeration': {
      if (definition.externalOptions) {
        return context.ownerExists(raw)
          ? ok(raw)
          : err(issue(name, 'INVALID_OWNER_ID', `${raw} is not a valid owner id`));
      }
      if (definition.options.length === 0) return ok(raw);
      const allowed = new Set(definition.options.map((entry) => entry.value));
      const values = definition.fieldType === 'checkbox' ? raw.split(';') : [raw];
      const wrong = values.find((value) => !allowed.has(value));
      if (wrong !== undefined) {
        return err(
          issue(
            name,
            'INVALID_OPTION',
            `${wrong} was not one of the allowed options: ${describeOptions(definition)}`,
          ),
        );
      }
      return ok(raw);
    }
  }
};

const asText = (value: unknown): string | null | undefined => {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
};

/**
 * Checks a `properties` object of a create or update. Every invalid property is reported, as HubSpot
 * does, and an empty string clears a value.
 */
export const validateWrite = (
  properties: unknown,
  context: WriteContext,
): Result<PropertyWrite, PropertyIssue[] | HubSpotFailure> => {
  if (properties === undefined || properties === null) return ok(new Map());
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    return err(
      invalidInputJson(15, 'Cannot deserialize value of type `java.util.HashMap` from non-object value'),
    );
  }
  const write = new Map<string, string | null>();
  const issues: PropertyIssue[] = [];
  for (const [name, value] of Object.entries(properties)) {
    const definition = context.definitions.get(name);
    if (!definition || definition.archived) {
      issues.push(issue(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`));
      continue;
    }
    if (definition.readOnlyValue && !context.allowReadOnly) {
      issues.push(
        issue(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`),
      );
      continue;
    }
    const text = asText(value);
    if (text === undefined) {
      return err(
        invalidInputJson(15, 'Cannot deserialize value of type `java.lang.String` from Object value'),
      );
    }
    if (text === null || text === '') {
      write.set(name, null);
      continue;
    }
    const normalised = normaliseValue(definition, text, context);
    if (normalised.ok) write.set(name, normalised.value);
    else issues.push(normalised.error);
  }
  return issues.length > 0 ? err(issues) : ok(write);
};

/** HubSpot's 400 for invalid property values: the list is embedded as JSON text in `message`. */
export const propertyIssuesFailure = (issues: readonly PropertyIssue[], portalId: number): HubSpotFailure =>
  validationFailure(
    `Property values were not valid: ${JSON.stringify(
      issues.map((entry) => ({
        isValid: false,
        message: entry.message,
        error: entry.error,
        name: entry.name,
        localizedErrorMessage: entry.message,
        portalId,
      })),
    )}`,
    {
      errors: issues.map((entry) => ({
        message: entry.message,
        code: entry.error,
        context: { propertyName: [entry.name] },
      })),
    },
  );
