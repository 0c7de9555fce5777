import type { ApiResult, ConfigVersionView, GovernanceConfig, I18n } from '@abm-pilot/hubspot-abm-client';
import { AXES, CRITERIA, fill, GovernanceConfigSchema, TIERS, useI18n } from '@abm-pilot/hubspot-abm-client';
import { Alert, Flex, LoadingButton, NumberInput, Text } from '@hubspot/ui-extensions';
import { useMemo, useState } from 'react';

// The SLA policy and the scoring weights, edited in place and validated by the server's own config schema
// (cross-field rules included) before anything is sent.

interface Field {
  readonly path: readonly string[];
  readonly label: string;
}

function fieldsOf({ messages, vocabulary, words }: I18n): readonly Field[] {
  const text = messages.settings.policy;
  return [
    ...TIERS.map((tier) => ({
      path: ['sla', 'followUpBusinessHours', tier],
      label: fill(text.followUp, { kind: vocabulary.slaKind.sales_follow_up, tier: words.tier(tier) }),
    })),
    ...TIERS.map((tier) => ({
      path: ['sla', 'feedbackBusinessDays', tier],
      label: fill(text.feedback, { kind: vocabulary.slaKind.sales_feedback, tier: words.tier(tier) }),
    })),
    { path: ['sla', 'atRiskRatio'], label: text.atRiskRatio },
    ...AXES.map((axis) => ({
      path: ['scoring', 'axes', axis, 'weight'],
      label: fill(text.axisWeight, { axis: vocabulary.axis[axis] }),
    })),
    ...CRITERIA.map((criterion) => ({
      path: ['scoring', 'criteria', criterion, 'weight'],
      label: fill(text.criterionWeight, { criterion: vocabulary.criterion[criterion] }),
    })),
  ];
}

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
  const i18n = useI18n();
  const text = i18n.messages.settings.policy;
  const fields = useMemo(() => fieldsOf(i18n), [i18n]);
  const [draft, setDraft] = useState<unknown>(config);
  const [save, setSave] = useState<Save>({ status: 'idle' });
  const problems = save.status === 'invalid' ? save.problems : [];
  const submit = async () => {
    const parsed = GovernanceConfigSchema.safeParse(draft);
    if (!parsed.success) {
      const labels = new Map(fields.map((field) => [keyOf(field.path), field.label]));
      return setSave({
        status: 'invalid',
        problems: parsed.error.issues.map((issue) => ({
          field: keyOf(issue.path),
          message: fill(text.problem, {
            field: labels.get(keyOf(issue.path)) ?? keyOf(issue.path),
            message: issue.message,
          }),
        })),
      });
    }
    setSave({ status: 'sending' });
    const result = await onSave(parsed.data);
    setSave(
      result.ok
        ? { status: 'saved', version: result.value.version }
        : { status: 'failed', message: i18n.words.failure(result.failure) },
    );
  };
  return (
    <Flex direction="column" gap="sm" testId="policy">
      {fields.map((field) => {
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
        <Alert title={text.fixFirst} variant="warning" testId="policy-problems">
          {save.problems.map((problem) => problem.message).join('; ')}
        </Alert>
      )}
      {save.status === 'failed' && (
        <Alert title={text.notSaved} variant="error" testId="policy-failure">
          {save.message}
        </Alert>
      )}
      {save.status === 'saved' && (
        <Text testId="policy-saved">{fill(text.saved, { version: save.version })}</Text>
      )}
      <LoadingButton
        variant="primary"
        loading={save.status === 'sending'}
        onClick={() => void submit()}
        testId="save-policy"
      >
        {text.save}
      </LoadingButton>
    </Flex>
  );
}
