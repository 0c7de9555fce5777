import { Alert, Flex, LoadingButton, NumberInput, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { ApiResult } from './generated/abmApi.ts';
import { failureMessage } from './generated/abmApi.ts';
import type { ConfigVersionView, GovernanceConfig } from './generated/shared/abm-contracts.js';
import { AXES, CRITERION_LABELS, GovernanceConfigSchema, TIERS } from './generated/shared/abm-contracts.js';

// The SLA policy and the scoring weights, edited in place and validated by the server's own config schema
// (cross-field rules included) before anything is sent.

interface Field {
  readonly path: readonly string[];
  readonly label: string;
}

const tierNumber = (tier: string) => tier.slice('tier_'.length);

const FIELDS: readonly Field[] = [
  ...TIERS.map((tier) => ({
    path: ['sla', 'followUpBusinessHours', tier],
    label: `Sales follow-up, tier ${tierNumber(tier)} (business hours)`,
  })),
  ...TIERS.map((tier) => ({
    path: ['sla', 'feedbackBusinessDays', tier],
    label: `Sales feedback on handover, tier ${tierNumber(tier)} (business days)`,
  })),
  { path: ['sla', 'atRiskRatio'], label: 'At risk after this share of the allowed time (0 to 1)' },
  ...AXES.map((axis) => ({
    path: ['scoring', 'axes', axis, 'weight'],
    label: `Axis weight: ${axis.replaceAll('_', ' ')}`,
  })),
  ...Object.entries(CRITERION_LABELS).map(([criterion, label]) => ({
    path: ['scoring', 'criteria', criterion, 'weight'],
    label: `Criterion weight: ${label}`,
  })),
];

const keyOf = (path: readonly (string | number | symbol)[]) => path.map(String).join('.');

function valueAt(root: unknown, path: readonly string[]): number {
  const value = path.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined,
    root,
  );
  return typeof value === 'number' ? value : Number.NaN;
}

/** A copy of `root` with one number replaced; the result is only trusted once the schema accepts it. */
function withValueAt(root: unknown, path: readonly string[], value: number): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const node = typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : {};
  return { ...node, [head]: withValueAt(node[head], rest, value) };
}

type Save =
  | { readonly status: 'idle' }
  | {
      readonly status: 'invalid';
      readonly problems: readonly { readonly field: string; readonly message: string }[];
    }
  | { readonly status: 'sending' }
  | { readonly status: 'saved'; readonly version: number }
  | { readonly status: 'failed'; readonly message: string };

export function PolicySection({
  config,
  onSave,
}: {
  readonly config: GovernanceConfig;
  readonly onSave: (config: GovernanceConfig) => Promise<ApiResult<ConfigVersionView>>;
}) {
  const [draft, setDraft] = useState<unknown>(config);
  const [save, setSave] = useState<Save>({ status: 'idle' });
  const problems = save.status === 'invalid' ? save.problems : [];
  const submit = async () => {
    const parsed = GovernanceConfigSchema.safeParse(draft);
    if (!parsed.success) {
      const labels = new Map(FIELDS.map((field) => [keyOf(field.path), field.label]));
      return setSave({
        status: 'invalid',
        problems: parsed.error.issues.map((issue) => ({
          field: keyOf(issue.path),
          message: `${labels.get(keyOf(issue.path)) ?? keyOf(issue.path)}: ${issue.message}`,
        })),
      });
    }
    setSave({ status: 'sending' });
    const result = await onSave(parsed.data);
    setSave(
      result.ok
        ? { status: 'saved', version: result.value.version }
        : { status: 'failed', message: failureMessage(result.failure) },
    );
  };
  return (
    <Flex direction="column" gap="sm" testId="policy">
      {FIELDS.map((field) => {
        const key = keyOf(field.path);
        const problem = problems.find((candidate) => candidate.field === key);
        return (
          <NumberInput
            key={key}
            label={field.label}
            name={key}
            value={valueAt(draft, field.path)}
            onChange={(value) => setDraft((current: unknown) => withValueAt(current, field.path, value))}
            testId={`policy-${key}`}
            {...(problem === undefined ? {} : { error: true, validationMessage: problem.message })}
          />
        );
      })}
      {save.status === 'invalid' && (
        <Alert title="Fix these before saving" variant="warning" testId="policy-problems">
          {save.problems.map((problem) => problem.message).join('; ')}
        </Alert>
      )}
      {save.status === 'failed' && (
        <Alert title="The policy was not saved" variant="error" testId="policy-failure">
          {save.message}
        </Alert>
      )}
      {save.status === 'saved' && (
        <Text testId="policy-saved">Saved as version {save.version}: every account is being recomputed.</Text>
      )}
      <LoadingButton
        variant="primary"
        loading={save.status === 'sending'}
        onClick={() => void submit()}
        testId="save-policy"
      >
        Save policy
      </LoadingButton>
    </Flex>
  );
}
