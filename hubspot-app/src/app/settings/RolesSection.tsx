import type { ApiResult, Role, RoleAssignments, RolesResponse } from '@abm-pilot/hubspot-abm-client';
import { fill, PutRolesBodySchema, RoleSchema, ROLES, useI18n } from '@abm-pilot/hubspot-abm-client';
import { Alert, Button, Flex, Input, LoadingButton, MultiSelect, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';

// Which HubSpot owners (by owner id, as accounts and tasks name them) hold which ABM roles, edited as a
// whole and checked by the server's own schema first.

type Save =
  | { readonly status: 'idle' }
  | { readonly status: 'invalid'; readonly problems: readonly string[] }
  | { readonly status: 'sending' }
  | { readonly status: 'saved' }
  | { readonly status: 'failed'; readonly message: string };

export function RolesSection({
  roles,
  viewerId,
  onSave,
}: {
  readonly roles: RolesResponse;
  readonly viewerId: string;
  readonly onSave: (users: RoleAssignments) => Promise<ApiResult<RolesResponse>>;
}) {
  const { messages, vocabulary, words } = useI18n();
  const text = messages.settings.roles;
  const roleOptions = ROLES.map((role) => ({ label: vocabulary.role[role], value: role }));
  const [users, setUsers] = useState<Record<string, Role[]>>(() => structuredClone(roles.users));
  const [newUser, setNewUser] = useState('');
  const [save, setSave] = useState<Save>({ status: 'idle' });
  const setRoles = (userId: string, values: readonly unknown[]) =>
    setUsers((current) => ({
      ...current,
      [userId]: values.flatMap((value) => {
        const role = RoleSchema.safeParse(value);
        return role.success ? [role.data] : [];
      }),
    }));
  const submit = async () => {
    const parsed = PutRolesBodySchema.safeParse({ users });
    if (!parsed.success) {
      return setSave({
        status: 'invalid',
        problems: parsed.error.issues.map((issue) =>
          fill(messages.failure.issue, { path: issue.path.join('.'), message: issue.message }),
        ),
      });
    }
    setSave({ status: 'sending' });
    const result = await onSave(parsed.data.users);
    setSave(result.ok ? { status: 'saved' } : { status: 'failed', message: words.failure(result.failure) });
  };
  return (
    <Flex direction="column" gap="sm" testId="roles">
      {Object.entries(users).map(([userId, userRoles]) => (
        <Flex key={userId} direction="row" gap="sm" align="end">
          <MultiSelect
            label={fill(userId === viewerId ? text.ownerIsYou : text.owner, { id: userId })}
            name={`roles-${userId}`}
            value={userRoles}
            options={roleOptions}
            onChange={(values) => setRoles(userId, values)}
            testId={`roles-${userId}`}
          />
          <Button
            variant="transparent"
            onClick={() =>
              setUsers((current) =>
                Object.fromEntries(Object.entries(current).filter(([id]) => id !== userId)),
              )
            }
            testId={`remove-${userId}`}
          >
            {text.remove}
          </Button>
        </Flex>
      ))}
      <Flex direction="row" gap="sm" align="end">
        <Input label={text.newOwner} name="newUser" value={newUser} onChange={setNewUser} testId="new-user" />
        <Button
          onClick={() => {
            const id = newUser.trim();
            if (id === '' || id in users) return;
            setUsers((current) => ({ ...current, [id]: [] }));
            setNewUser('');
          }}
          testId="add-user"
        >
          {text.add}
        </Button>
      </Flex>
      {save.status === 'invalid' && (
        <Alert title={text.fixFirst} variant="warning" testId="roles-problems">
          {save.problems.join('; ')}
        </Alert>
      )}
      {save.status === 'failed' && (
        <Alert title={text.notSaved} variant="error" testId="roles-failure">
          {save.message}
        </Alert>
      )}
      {save.status === 'saved' && <Text testId="roles-saved">{text.saved}</Text>}
      <LoadingButton
        variant="primary"
        loading={save.status === 'sending'}
        onClick={() => void submit()}
        testId="save-roles"
      >
        {text.save}
      </LoadingButton>
    </Flex>
  );
}
