import { Alert, Button, Flex, Input, LoadingButton, MultiSelect, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';

import type { ApiResult } from './generated/abmApi.ts';
import { failureMessage } from './generated/abmApi.ts';
import { ROLE_LABELS } from './generated/format.ts';
import type { Role, RoleAssignments, RolesResponse } from './generated/shared/abm-contracts.js';
import { PutRolesBodySchema, RoleSchema, ROLES } from './generated/shared/abm-contracts.js';

// Which HubSpot owners (by owner id, as accounts and tasks name them) hold which ABM roles, edited as a whole and checked by the server's own schema first.

type Save =
  | { readonly status: 'idle' }
  | { readonly status: 'invalid'; readonly problems: readonly string[] }
  | { readonly status: 'sending' }
  | { readonly status: 'saved' }
  | { readonly status: 'failed'; readonly message: string };

const ROLE_OPTIONS = ROLES.map((role) => ({ label: ROLE_LABELS[role], value: role }));

export function RolesSection({
  roles,
  viewerId,
  onSave,
}: {
  readonly roles: RolesResponse;
  readonly viewerId: string;
  readonly onSave: (users: RoleAssignments) => Promise<ApiResult<RolesResponse>>;
}) {
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
        problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      });
    }
    setSave({ status: 'sending' });
    const result = await onSave(parsed.data.users);
    setSave(result.ok ? { status: 'saved' } : { status: 'failed', message: failureMessage(result.failure) });
  };
  return (
    <Flex direction="column" gap="sm" testId="roles">
      {Object.entries(users).map(([userId, userRoles]) => (
        <Flex key={userId} direction="row" gap="sm" align="end">
          <MultiSelect
            label={userId === viewerId ? `HubSpot owner ${userId} (you)` : `HubSpot owner ${userId}`}
            name={`roles-${userId}`}
            value={userRoles}
            options={ROLE_OPTIONS}
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
            Remove
          </Button>
        </Flex>
      ))}
      <Flex direction="row" gap="sm" align="end">
        <Input
          label="Add a HubSpot owner id"
          name="newUser"
          value={newUser}
          onChange={setNewUser}
          testId="new-user"
        />
        <Button
          onClick={() => {
            const id = newUser.trim();
            if (id === '' || id in users) return;
            setUsers((current) => ({ ...current, [id]: [] }));
            setNewUser('');
          }}
          testId="add-user"
        >
          Add
        </Button>
      </Flex>
      {save.status === 'invalid' && (
        <Alert title="Fix these before saving" variant="warning" testId="roles-problems">
          {save.problems.join('; ')}
        </Alert>
      )}
      {save.status === 'failed' && (
        <Alert title="The roles were not saved" variant="error" testId="roles-failure">
          {save.message}
        </Alert>
      )}
      {save.status === 'saved' && <Text testId="roles-saved">Roles saved.</Text>}
      <LoadingButton
        variant="primary"
        loading={save.status === 'sending'}
        onClick={() => void submit()}
        testId="save-roles"
      >
        Save roles
      </LoadingButton>
    </Flex>
  );
}
